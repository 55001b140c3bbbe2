package com.ultracloud.deployer.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** {@code deployer-ctl rollouts list|show|pause|resume|abort}: host deployments. */
@Command(name = "rollouts", description = "Host deployments: list, show, pause, resume, abort.",
        subcommands = {RolloutsCommand.ListCommand.class, RolloutsCommand.Show.class, RolloutsCommand.Pause.class,
                RolloutsCommand.Resume.class, RolloutsCommand.Abort.class})
final class RolloutsCommand {

    @Command(name = "list", description = "Host deployments, newest first.")
    static final class ListCommand implements Callable<Integer> {
        @Mixin
        Deployer deployer;

        @Option(names = "--state", description = "Only these states (comma-separated), e.g. IN_PROGRESS,PAUSED.")
        String state;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            JsonNode page = deployer.getJson("/api/v1/host-deployments?size=200" + (state == null ? "" : "&state=" + Deployer.encode(state)));
            if (output.printedJson(page)) {
                return 0;
            }
            Table t = new Table("DEPLOYMENT", "STATE", "PROGRESS", "FAILED", "SUMMARY");
            for (JsonNode d : page.path("items")) {
                t.row(d.path("deploymentId").asText(), d.path("state").asText(), progress(d),
                        d.at("/counts/failed").asText("0"), MachinesCommand.text(d, "summary"));
            }
            t.print(System.out);
            System.out.println(page.path("total").asLong() + " host deployments");
            return 0;
        }
    }

    static String progress(JsonNode d) {
        return d.at("/progress/done").asText("0") + "/" + d.at("/progress/total").asText("0") + " (" + d.at("/progress/percent").asText("0") + "%)";
    }

    @Command(name = "show", description = "One host deployment and each of its machines.")
    static final class Show implements Callable<Integer> {
        @Mixin
        Deployer deployer;

        @Parameters(paramLabel = "ID")
        String id;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            JsonNode d = deployer.getJson("/api/v1/host-deployments/" + Deployer.encode(id));
            if (output.printedJson(d)) {
                return 0;
            }
            System.out.println(d.path("deploymentId").asText() + ": " + d.path("state").asText() + ", " + progress(d)
                    + (d.hasNonNull("reason") ? ", " + d.path("reason").asText() : ""));
            System.out.println(MachinesCommand.text(d, "summary"));
            Table t = new Table("MACHINE", "PHASE", "RUNNING", "LAST RESULT", "REASON");
            for (JsonNode m : d.path("machines")) {
                t.row(m.path("machineId").asText(), m.path("phase").asText(), MachinesCommand.text(m, "runningSystem"),
                        MachinesCommand.text(m, "lastResult"), MachinesCommand.text(m, "reason"));
            }
            t.print(System.out);
            return 0;
        }
    }

    /** pause, resume, abort: the state after it. */
    abstract static class Action implements Callable<Integer> {
        @Mixin
        Deployer deployer;

        @Parameters(paramLabel = "ID")
        String id;

        abstract String action();

        String reason() {
            return null;
        }

        @Override
        public Integer call() throws Exception {
            ObjectNode body = Deployer.JSON.createObjectNode();
            if (reason() != null) {
                body.put("reason", reason());
            }
            JsonNode r = deployer.call("POST", "/api/v1/host-deployments/" + Deployer.encode(id) + "/" + action(), body);
            System.out.println(action() + ": " + r.path("deploymentId").asText() + " is " + r.path("state").asText());
            return 0;
        }
    }

    @Command(name = "pause", description = "No new batch starts; machines mid-activation finish.")
    static final class Pause extends Action {
        @Option(names = "--reason")
        String reason;

        String action() {
            return "pause";
        }

        @Override
        String reason() {
            return reason;
        }
    }

    @Command(name = "resume", description = "A paused deployment goes on.")
    static final class Resume extends Action {
        String action() {
            return "resume";
        }
    }

    @Command(name = "abort", description = "No machine is touched again.")
    static final class Abort extends Action {
        @Option(names = "--reason")
        String reason;

        String action() {
            return "abort";
        }

        @Override
        String reason() {
            return reason;
        }
    }
}
