package com.ultracloud.deployer.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.ultracloud.deployer.machine.api.LifecycleAction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code deployer-ctl machines list|show|explain|ACTION}: the inventory and the lifecycle actions. Every action of
 * the API is a subcommand ({@link #addActions}), with the options its body takes.
 */
@Command(name = "machines", description = "The inventory and the lifecycle actions (list, show, explain, and one subcommand per action).",
        subcommands = {MachinesCommand.ListCommand.class, MachinesCommand.ShowCommand.class, MachinesCommand.ExplainCommand.class})
final class MachinesCommand {

    /** Actions that cannot be undone: asked for on a terminal, refused without {@code --yes} elsewhere. */
    static final Set<String> DESTRUCTIVE = Set.of("retire", "reprovision");

    /** One subcommand per lifecycle action the API takes ({@code POST /api/v1/machines/{id}/{action}}). */
    static void addActions(CommandLine machines) {
        Arrays.stream(LifecycleAction.values()).flatMap(a -> a.apiName().stream())
                .forEach(name -> machines.addSubcommand(name, new CommandLine(new ActionCommand(name))));
    }

    @Command(name = "list", description = "List machines, now or as they were at a store position or instant.")
    static final class ListCommand implements Callable<Integer> {

        @Mixin
        Deployer deployer;

        @Option(names = "--state", description = "Only machines in this state (comma-separated for several).")
        String state;

        @Option(names = "--class", description = "Only machines of this node class.")
        String nodeClass;

        @Option(names = "--pool", description = "Only machines of this pool.")
        String pool;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Only machines with this label.")
        String label;

        @Option(names = {"-q", "--search"}, paramLabel = "TEXT", description = "Hostname, id, serial, vendor or product containing TEXT.")
        String search;

        @Option(names = "--at", paramLabel = "P|T", description = "A store position or an instant (ISO-8601): the fleet as it was.")
        String at;

        @Option(names = "--size", defaultValue = "100", description = "Machines per page (default ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--page", defaultValue = "0", description = "The page (default ${DEFAULT-VALUE}).")
        int page;

        @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, wide or json (default ${DEFAULT-VALUE}).")
        Output.Format output;

        @Override
        public Integer call() throws Exception {
            StringBuilder path = new StringBuilder("/api/v1/machines?size=" + size + "&page=" + page);
            Map<String, String> filters = new LinkedHashMap<>();
            filters.put("at", at);
            filters.put("state", state);
            filters.put("nodeClass", nodeClass);
            filters.put("pool", pool);
            filters.put("label", label);
            filters.put("q", search);
            filters.forEach((k, v) -> {
                if (v != null) {
                    path.append('&').append(k).append('=').append(Deployer.encode(v));
                }
            });
            JsonNode page = deployer.getJson(path.toString());
            if (output == Output.Format.json) {
                Deployer.printJson(page);
                return 0;
            }
            Table table = output == Output.Format.wide
                    ? new Table("MACHINE", "STATE", "HOSTNAME", "CLASS", "POOL", "LABELS", "VENDOR", "PRODUCT", "SERIAL", "POWER", "HEALTH", "LAST SEEN")
                    : new Table("MACHINE", "STATE", "HOSTNAME", "CLASS", "POOL", "LAST SEEN");
            for (JsonNode m : page.get("items")) {
                String state = m.path("state").asText() + (m.path("drained").asBoolean() ? " (drained)" : "");
                if (output == Output.Format.wide) {
                    table.row(m.path("machineId").asText(), state, text(m, "hostname"), text(m, "nodeClass"), text(m, "pool"),
                            labels(m.path("labels")), text(m, "vendor"), text(m, "product"), text(m, "systemSerial"),
                            text(m, "power"), text(m, "health"), text(m, "lastSeen"));
                } else {
                    table.row(m.path("machineId").asText(), state, text(m, "hostname"), text(m, "nodeClass"), text(m, "pool"),
                            text(m, "lastSeen"));
                }
            }
            table.print(System.out);
            System.out.println(page.path("total").asLong() + " machines" + (page.path("totalExact").asBoolean(true) ? "" : " or more")
                    + (at == null ? "" : " as of " + at));
            return 0;
        }
    }

    @Command(name = "show", description = "One machine: state, assignment, hardware, install, rollout, health.")
    static final class ShowCommand implements Callable<Integer> {

        @Mixin
        Deployer deployer;

        @Parameters(paramLabel = "ID", description = "The machine's id.")
        String id;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            JsonNode m = deployer.getJson("/api/v1/machines/" + Deployer.encode(id));
            if (output.printedJson(m)) {
                return 0;
            }
            Table t = new Table("FIELD", "VALUE");
            t.row("machine", text(m, "machineId"));
            t.row("state", text(m, "state") + (m.path("drained").asBoolean() ? " (drained)" : ""));
            t.row("hostname", text(m, "hostname"));
            t.row("node", text(m, "nodeId"));
            t.row("class / pool", text(m, "nodeClass") + " / " + text(m, "pool"));
            t.row("labels", labels(m.path("labels")));
            JsonNode id = m.at("/hardware/identity");
            t.row("hardware", text(id, "vendor") + " " + text(id, "product") + ", serial " + text(id, "systemSerial"));
            JsonNode install = m.path("install");
            if (!install.isMissingNode() && !install.isNull()) {
                t.row("install", text(install, "result") + ", step " + text(install, "step") + " " + install.path("percent").asText("-")
                        + "%, attempt " + install.path("attempt").asText("-") + " of " + install.path("attemptLimit").asText("-")
                        + ", root " + text(install, "rootDevice"));
            }
            t.row("rollout", text(m.path("rollout"), "status") + ", running " + text(m.path("rollout"), "runningSystem"));
            t.row("health", text(m.path("health"), "status"));
            if (m.hasNonNull("lastFailure")) {
                t.row("last failure", text(m.path("lastFailure"), "reason"));
            }
            t.row("last event", text(m, "lastEvent") + " (version " + m.path("version").asText() + ")");
            t.row("last seen", text(m, "lastSeen"));
            t.print(System.out);
            return 0;
        }
    }

    @Command(name = "explain", description = "Why the machine is where it is: the enrollment rule it matches (or why none does) and the root disk its plan chose.")
    static final class ExplainCommand implements Callable<Integer> {

        @Mixin
        Deployer deployer;

        @Parameters(paramLabel = "ID", description = "The machine's id.")
        String id;

        @Override
        public Integer call() throws Exception {
            JsonNode m = deployer.getJson("/api/v1/machines/" + Deployer.encode(id));
            System.out.println("machine " + text(m, "machineId") + " is " + text(m, "state"));
            JsonNode e = m.path("enrollment");
            if (e.isMissingNode() || e.isNull()) {
                System.out.println("enrollment: no intent imported, or none applies");
            } else {
                System.out.println("enrollment (intent generation " + e.path("intentGeneration").asText("-") + "): "
                        + (e.hasNonNull("matched") ? "matches " + e.get("matched").asText() : "no node or rule matches"));
                e.path("explanation").forEach(line -> System.out.println("  - " + line.asText()));
                JsonNode a = e.path("assignment");
                if (a.isObject()) {
                    System.out.println("  would be: class " + text(a, "nodeClass") + ", pool " + text(a, "pool") + ", hostname "
                            + text(a, "hostname") + ", labels " + labels(a.path("labels")));
                }
                List<String> auto = new ArrayList<>();
                e.path("auto").fields().forEachRemaining(f -> {
                    if (f.getValue().asBoolean()) {
                        auto.add(f.getKey());
                    }
                });
                System.out.println("  automatic: " + (auto.isEmpty() ? "nothing" : String.join(", ", auto)));
            }
            if (m.hasNonNull("install") && m.at("/install/planId").isTextual()) {
                JsonNode root = deployer.getJson("/api/v1/machines/" + Deployer.encode(id) + "/install-plan").at("/plan/rootDevice");
                System.out.println("root disk: " + text(root, "path") + " (" + text(root, "reason") + ")");
                root.path("matchedHints").fields().forEachRemaining(h -> System.out.println("  - hint " + h.getKey() + " = " + h.getValue().asText()));
                root.path("rejected").forEach(r -> System.out.println("  - not " + r.asText()));
            } else {
                System.out.println("root disk: chosen when the install plan is issued (no plan yet)");
            }
            return 0;
        }
    }

    /** {@code machines ACTION ID [options]}: one lifecycle action; the options are its body's fields. */
    @Command(description = "A lifecycle action (docs/lifecycle.md says from which states it is allowed).", mixinStandardHelpOptions = true)
    static final class ActionCommand implements Callable<Integer> {

        private final String action;

        @Mixin
        Deployer deployer;

        @Parameters(paramLabel = "ID", description = "The machine's id.")
        String id;

        @Option(names = "--reason", description = "mark-failed: why.")
        String reason;

        @Option(names = "--node-class", description = "commission, inspect: the node class.")
        String nodeClass;

        @Option(names = "--pool", description = "commission: the pool.")
        String pool;

        @Option(names = "--hostname", description = "commission: the hostname.")
        String hostname;

        @Option(names = "--node-id", description = "commission: the node id.")
        String nodeId;

        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "commission: a label (repeat for several).")
        List<String> labels = new ArrayList<>();

        @Option(names = "--attempt-limit", description = "install: attempts before the machine goes FAILED.")
        Integer attemptLimit;

        @Option(names = "--force", description = "reprovision: even when the machine is not drained.")
        boolean force;

        @Option(names = "--installer-key", description = "approve-installer: the new installer key's sha256: fingerprint.")
        String installerKey;

        @Option(names = "--if-match", paramLabel = "VERSION", description = "Only if the machine is still at this version (409 otherwise).")
        Long ifMatch;

        @Option(names = {"-y", "--yes"}, description = "Do not ask before a destructive action (retire, reprovision).")
        boolean yes;

        ActionCommand(String action) {
            this.action = action;
        }

        @Override
        public Integer call() throws Exception {
            if (DESTRUCTIVE.contains(action) && !yes && !Confirm.ask(action + " machine " + id + "? This cannot be undone.")) {
                System.err.println("deployer-ctl: not done (" + action + " needs a yes, or --yes)");
                return 2;
            }
            ObjectNode body = Deployer.JSON.createObjectNode();
            put(body, "reason", reason);
            put(body, "nodeClass", nodeClass);
            put(body, "pool", pool);
            put(body, "hostname", hostname);
            put(body, "nodeId", nodeId);
            if (!labels.isEmpty()) {
                ObjectNode l = body.putObject("labels");
                for (String kv : labels) {
                    int eq = kv.indexOf('=');
                    if (eq < 1) {
                        throw new CommandLine.ParameterException(new CommandLine(this), "--label takes KEY=VALUE, not " + kv);
                    }
                    l.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            if (attemptLimit != null) {
                body.put("attemptLimit", attemptLimit);
            }
            if (force) {
                body.put("force", true);
            }
            put(body, "installerKey", installerKey);
            String path = "/api/v1/machines/" + Deployer.encode(id) + "/" + action;
            JsonNode m = ifMatch == null ? deployer.call("POST", path, body) : deployer.callIfMatch(path, body, ifMatch);
            System.out.println(action + ": machine " + text(m, "machineId") + " is " + text(m, "state")
                    + (m.path("drained").asBoolean() ? " (drained)" : "") + " (version " + m.path("version").asText() + ")");
            return 0;
        }

        private static void put(ObjectNode body, String field, String value) {
            if (value != null) {
                body.put(field, value);
            }
        }
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() || v.asText().isEmpty() ? "-" : v.asText();
    }

    static String labels(JsonNode labels) {
        List<String> out = new ArrayList<>();
        labels.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
        return out.isEmpty() ? "-" : String.join(",", out);
    }
}
