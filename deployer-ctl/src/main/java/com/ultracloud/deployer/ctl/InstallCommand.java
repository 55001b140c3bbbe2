package com.ultracloud.deployer.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code deployer-ctl install watch ID}: a progress bar until the machine is installed (exit 0) or failed (exit 1). */
@Command(name = "install", description = "Installs.", subcommands = InstallCommand.Watch.class)
final class InstallCommand {

    @Command(name = "watch", description = "Follow a machine's install with a progress bar until it is INSTALLED (exit 0) or FAILED (exit 1).")
    static final class Watch implements Callable<Integer> {

        static final Set<String> DONE = Set.of("INSTALLED", "ACTIVE");

        @Mixin
        Deployer deployer;

        @Parameters(paramLabel = "ID", description = "The machine's id.")
        String id;

        private final boolean terminal = System.console() != null;
        private String last = "";
        private String outcome;

        @Override
        public Integer call() throws Exception {
            // the stream first, then the machine as it is: nothing that happens in between is missed
            new EventFollower(deployer, "/api/v1/events/stream?machine=" + Deployer.encode(id), null, new EventFollower.Sink() {
                @Override
                public boolean connected() throws IOException, InterruptedException {
                    return show(deployer.getJson("/api/v1/machines/" + Deployer.encode(id)));
                }

                @Override
                public boolean event(String type, String data) throws IOException, InterruptedException {
                    // the machine as of exactly this event, folded from its own events: every step is shown, in
                    // order, however far the read side (or the install) has got by the time the line is printed
                    long sequence = Deployer.JSON.readTree(data).path("sequence").asLong();
                    return show(deployer.getJson("/api/v1/machines/" + Deployer.encode(id) + "/state?at=" + sequence));
                }
            }, System.err, Duration.ofSeconds(60)).follow(0);
            if (terminal) {
                System.out.println();
            }
            System.out.println(outcome);
            return outcome.startsWith("installed") ? 0 : 1;
        }

        /** Prints the bar when it changed; false once the install is over. */
        private boolean show(JsonNode m) {
            String state = m.path("state").asText();
            JsonNode install = m.path("install");
            int percent = DONE.contains(state) ? 100 : install.path("percent").asInt(0);
            String line = bar(percent) + " " + state
                    + (install.hasNonNull("step") && !DONE.contains(state) ? " " + install.path("step").asText() : "")
                    + (install.hasNonNull("message") && !DONE.contains(state) ? ": " + install.path("message").asText() : "");
            if (!line.equals(last)) {
                System.out.print(terminal ? "\r" + line : line + "\n");
                System.out.flush();
                last = line;
            }
            if (DONE.contains(state)) {
                outcome = "installed: machine " + id + " is " + state;
                return false;
            }
            if (state.equals("FAILED")) {
                outcome = "failed: " + m.at("/lastFailure/reason").asText("see deployer-ctl machines show " + id);
                return false;
            }
            return true;
        }

        static String bar(int percent) {
            int filled = Math.max(0, Math.min(30, percent * 30 / 100));
            return "[" + "#".repeat(filled) + ".".repeat(30 - filled) + "] " + String.format("%3d%%", percent);
        }
    }
}
