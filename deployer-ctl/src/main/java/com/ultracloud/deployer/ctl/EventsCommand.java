package com.ultracloud.deployer.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code deployer-ctl events ID}: the machine's history as JSON Lines, ready for {@code debug replay};
 * {@code deployer-ctl events --follow [--machine ID] [--type T]…}: the live event stream, resumed after a drop.
 */
@Command(name = "events", description = {
        "Print a machine's history as JSON Lines (one event per line), e.g. `deployer-ctl events ID > machine.jsonl` "
                + "for `deployer-ctl debug replay machine.jsonl`.",
        "With --follow: print every new event of the deployer as it happens (one JSON line each), optionally only one "
                + "machine's, one aggregate type's or some event types; a dropped connection is resumed from the last "
                + "event, so none is missed or printed twice."})
final class EventsCommand implements Callable<Integer> {

    @Mixin
    Deployer deployer;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ID", arity = "0..1", description = "The machine's id (with --follow: same as --machine).")
    String machineId;

    @Option(names = {"-f", "--follow"}, description = "Follow the live event stream instead of printing a history.")
    boolean follow;

    @Option(names = "--machine", paramLabel = "ID", description = "With --follow: only this machine's events.")
    String machine;

    @Option(names = "--aggregate-type", paramLabel = "TYPE",
            description = "With --follow: only Machine, ClusterIntent or HostDeployment events.")
    String aggregateType;

    @Option(names = "--type", paramLabel = "EVENT", split = ",",
            description = "With --follow: only these event types (repeat or comma-separate), e.g. MachineActivated.")
    List<String> types = new ArrayList<>();

    @Option(names = "--from", paramLabel = "ID",
            description = "With --follow: start after this event id (0: the whole store) instead of from now.")
    String from;

    @Option(names = "--count", paramLabel = "N", defaultValue = "0",
            description = "With --follow: stop after N events (default: follow until interrupted).")
    long count;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "With --follow: reconnect when not even a heartbeat arrived for this long (default: ${DEFAULT-VALUE}).")
    long idleTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        if (!follow) {
            if (machineId == null) {
                throw new ParameterException(spec.commandLine(), "Missing the machine ID (or --follow for the live stream)");
            }
            System.out.print(deployer.get("/api/v1/machines/" + Deployer.encode(machineId) + "/events?format=jsonl"));
            return 0;
        }
        String only = machine != null ? machine : machineId;
        List<String> query = new ArrayList<>();
        if (only != null) {
            query.add("machine=" + Deployer.encode(only));
        }
        if (aggregateType != null) {
            query.add("aggregateType=" + Deployer.encode(aggregateType));
        }
        types.forEach(t -> query.add("type=" + Deployer.encode(t)));
        String path = "/api/v1/events/stream" + (query.isEmpty() ? "" : "?" + String.join("&", query));
        new EventFollower(deployer, path, from, System.out, System.err, Duration.ofSeconds(Math.max(1, idleTimeoutSeconds)))
                .follow(count);
        return 0;
    }
}
