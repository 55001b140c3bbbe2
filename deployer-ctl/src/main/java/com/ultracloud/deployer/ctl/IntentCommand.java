package com.ultracloud.deployer.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code deployer-ctl intent show|apply}: the cluster intent in force, and importing a new one after a preview. */
@Command(name = "intent", description = "The cluster intent: show the one in force, or apply a new one after a preview.",
        subcommands = {IntentCommand.Show.class, IntentCommand.Apply.class})
final class IntentCommand {

    @Command(name = "show", description = "The intent in force: generation, digest, classes, pools, rules, nodes.")
    static final class Show implements Callable<Integer> {

        @Mixin
        Deployer deployer;

        @Mixin
        Output output;

        @Override
        public Integer call() throws Exception {
            JsonNode current = deployer.getJson("/api/v1/cluster/intent");
            if (output.printedJson(current)) {
                return 0;
            }
            JsonNode doc = current.path("document");
            Table t = new Table("FIELD", "VALUE");
            t.row("cluster", MachinesCommand.text(current, "clusterId"));
            t.row("generation", current.path("generation").asText());
            t.row("sha256", MachinesCommand.text(current, "sha256"));
            t.row("imported", MachinesCommand.text(current, "importedAt"));
            t.row("node classes", names(doc.path("nodeClasses")));
            t.row("pools", names(doc.path("pools")));
            t.row("enrollment rules", names(doc.path("enrollmentRules")));
            t.row("nodes", String.valueOf(doc.path("nodes").size()));
            t.print(System.out);
            return 0;
        }

        private static String names(JsonNode node) {
            List<String> out = new ArrayList<>();
            if (node.isObject()) {
                node.fieldNames().forEachRemaining(out::add);
            } else {
                node.forEach(n -> out.add(n.path("name").asText(n.asText())));
            }
            return out.isEmpty() ? "-" : String.join(", ", out);
        }
    }

    @Command(name = "apply", description = "Export the intent with nix-instantiate (or read a JSON export), show what it would change, "
            + "ask, then import it.")
    static final class Apply implements Callable<Integer> {

        @Mixin
        Deployer deployer;

        @ArgGroup(multiplicity = "1")
        Source source;

        static final class Source {
            @Option(names = "--nix", paramLabel = "DIR|FILE", description = "A Nix file or directory whose clusterState attribute is the intent "
                    + "(nix-instantiate --eval --strict --json -A clusterState).")
            Path nix;

            @Option(names = "--json", paramLabel = "FILE", description = "The intent already exported as JSON.")
            Path json;
        }

        @Option(names = {"-y", "--yes"}, description = "Import without asking.")
        boolean yes;

        @Override
        public Integer call() throws Exception {
            byte[] document = source.json != null ? Files.readAllBytes(source.json) : export(source.nix);
            JsonNode intent = Deployer.JSON.readTree(document);
            JsonNode preview = deployer.call("POST", "/api/v1/cluster/intent/preview", intent);
            if (!preview.path("valid").asBoolean()) {
                System.err.println("deployer-ctl: the intent is not valid:");
                preview.path("errors").forEach(e -> System.err.println("  " + e.path("field").asText() + ": " + e.path("message").asText()));
                return 3;
            }
            if (!preview.path("changed").asBoolean()) {
                System.out.println("unchanged: generation " + preview.path("currentGeneration").asText() + " already has sha256 "
                        + preview.path("sha256").asText());
                return 0;
            }
            System.out.println("generation " + preview.path("currentGeneration").asText("none") + " -> new, sha256 "
                    + preview.path("sha256").asText());
            Table t = new Table("MACHINE", "STATE", "NOW", "WOULD BE");
            for (JsonNode m : preview.path("machines")) {
                t.row(m.path("machineId").asText(), m.path("state").asText(), placement(m.path("current")), placement(m.path("wouldBe")));
            }
            t.print(System.out);
            System.out.println(preview.path("machines").size() + " machines would change");
            if (!yes && !Confirm.ask("Import this intent?")) {
                System.err.println("deployer-ctl: not imported (answer yes, or pass --yes)");
                return 2;
            }
            JsonNode imported = deployer.call("PUT", "/api/v1/cluster/intent", intent);
            System.out.println("imported: generation " + imported.path("generation").asText() + ", sha256 " + imported.path("sha256").asText());
            return 0;
        }

        private static String placement(JsonNode p) {
            if (p.isMissingNode() || p.isNull() || (p.path("nodeClass").isNull() && p.path("hostname").isNull())) {
                return "-";
            }
            return MachinesCommand.text(p, "nodeClass") + "/" + MachinesCommand.text(p, "pool") + " " + MachinesCommand.text(p, "hostname")
                    + (p.path("matched").isTextual() ? " (" + p.path("matched").asText() + ")" : "");
        }

        /** {@code nix-instantiate --eval --strict --json -A clusterState PATH}; as a non-root user with a dummy store. */
        static byte[] export(Path nix) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("nix-instantiate", "--eval", "--strict", "--json", "-A", "clusterState"));
            if (!"root".equals(System.getProperty("user.name"))) {
                cmd.addAll(List.of("--store", "dummy://"));
            }
            cmd.add(nix.toString());
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.PIPE).start();
            } catch (IOException e) {
                throw new IOException("nix-instantiate is not installed (Debian: apt-get install nix-bin), or use --json FILE", e);
            }
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("nix-instantiate failed on " + nix + ": " + err.strip());
            }
            return out;
        }
    }
}
