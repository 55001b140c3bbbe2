package com.ultracloud.deployer.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code deployer-ctl events ID}: the machine's history as JSON Lines, ready for {@code debug replay}. */
@Command(name = "events", description = "Print a machine's history as JSON Lines (one event per line), e.g. "
        + "`deployer-ctl events ID > machine.jsonl` for `deployer-ctl debug replay machine.jsonl`.")
final class EventsCommand implements Callable<Integer> {

    @Mixin
    Deployer deployer;

    @Parameters(paramLabel = "ID", description = "The machine's id.")
    String machineId;

    @Override
    public Integer call() throws Exception {
        System.out.print(deployer.get("/api/v1/machines/" + Deployer.encode(machineId) + "/events?format=jsonl"));
        return 0;
    }
}
