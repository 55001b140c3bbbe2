package com.ultracloud.deployer.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code deployer-ctl machines list [--at T]}: the inventory, now or as it was. */
@Command(name = "machines", description = "The inventory.", subcommands = MachinesCommand.ListCommand.class)
final class MachinesCommand {

    @Command(name = "list", description = "List the machines (a page of them), now or as they were at a position or instant.")
    static final class ListCommand implements Callable<Integer> {

        @Mixin
        Deployer deployer;

        @Option(names = "--at", paramLabel = "P|T", description = "A store position or an instant (ISO-8601): the fleet as it was.")
        String at;

        @Option(names = "--state", description = "Only machines in this state (comma-separated for several).")
        String state;

        @Option(names = "--size", defaultValue = "100", description = "Machines per page (default ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--page", defaultValue = "0", description = "The page (default ${DEFAULT-VALUE}).")
        int page;

        @Override
        public Integer call() throws Exception {
            StringBuilder path = new StringBuilder("/api/v1/machines?size=" + size + "&page=" + page);
            if (at != null) {
                path.append("&at=").append(Deployer.encode(at));
            }
            if (state != null) {
                path.append("&state=").append(Deployer.encode(state));
            }
            JsonNode page = new ObjectMapper().readTree(deployer.get(path.toString()));
            String format = "%-38s %-16s %-20s %s%n";
            System.out.printf(Locale.ROOT, format, "MACHINE", "STATE", "HOSTNAME", "LAST EVENT");
            for (JsonNode m : page.get("items")) {
                System.out.printf(Locale.ROOT, format, m.path("machineId").asText(), m.path("state").asText(),
                        m.path("hostname").asText("-"), m.path("lastEvent").asText());
            }
            System.out.println(page.get("total").asLong() + " machines" + (at == null ? "" : " as of " + at));
            return 0;
        }
    }
}
