package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.ultracloud.deployer.e2e.GatewayProcess.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 4 end to end: the real gateway jar (H2, fresh data dir, poll-after 1 s) and the real installer
 * jar as processes. The lab intent is imported once; the tests then share the gateway.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallerLabIT {

    private static final List<String> LAB = List.of("cp-1", "cp-2", "cp-3", "storage-1", "worker-1", "worker-2");
    private static final Pattern KERNEL_NAME = Pattern.compile("^/dev/(sd|hd|vd|xvd|nvme)[a-z0-9]*$");
    /** How nixos-install.sh splits its --flake argument into flake and configuration name. */
    private static final Pattern NIXOS_INSTALL_FLAKE = Pattern.compile("^(.*)#([^#\"]*)$");

    @TempDir
    static Path tmp;

    static GatewayProcess gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = GatewayProcess.start(GatewayProcess.freePort(), tmp.resolve("gateway"));
        gateway.importLabIntent();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    @Order(1)
    void theSixLabMachinesAreInstalledOnStablePathsWithTheirCredentials() throws Exception {
        Path work = tmp.resolve("lab");
        Path commands = tmp.resolve("lab-commands.jsonl");
        InstallerProcess.Result lab = InstallerProcess.run(tmp, "lab", "--deployer", gateway.url(), "--operator-install",
                "--join-secret-file", gateway.joinSecretFile().toString(),
                "--operator-token-file", gateway.adminTokenFile().toString(),
                "--work-dir", work.toString(), "--commands", commands.toString(), "--timeout", "240");

        assertThat(lab.exitCode()).as(lab.out() + lab.err()).isZero();
        assertThat(lab.out()).contains("6 machines, 6 INSTALLED");
        for (String host : LAB) { // the machine list is a read model: it follows the events shortly after
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(gateway.stateOfHost(host))
                    .as(host).isEqualTo("INSTALLED"));
        }

        List<JsonNode> recorded = jsonLines(commands);
        for (String label : LAB) {
            // the lab labels machines by fixture; hostnames come from the deployer (worker-{index} by enrollment order)
            List<JsonNode> lines = recorded.stream().filter(r -> label.equals(r.get("machine").asText())).toList();
            assertThat(lines).as(label).isNotEmpty();
            String host = lines.get(0).get("hostname").asText();
            assertThat(host).as(label).startsWith(label.replaceAll("-\\d+$", "-"));
            List<List<String>> mine = lines.stream().map(r -> strings(r.get("command"))).toList();
            List<String> programs = mine.stream().map(c -> c.get(0)).toList();
            int at = programs.indexOf("disko");
            assertThat(programs.subList(Math.max(at, 0), programs.size())).as(host).containsExactly("disko", "nixos-install", "systemctl");
            assertThat(programs.subList(0, at)).as(host + ": the plan's wipe policy comes first").isNotEmpty()
                    .allMatch(p -> List.of("wipefs", "blkdiscard", "dd").contains(p));
            List<String> wiped = mine.subList(0, at).stream().filter(c -> c.get(0).equals("wipefs")).map(c -> c.get(c.size() - 1)).toList();
            List<String> disko = mine.get(at);
            String device = disko.get(disko.indexOf("device") + 1);
            assertThat(device).as(host).matches("/dev/disk/by-(id|path)/.+");
            assertThat(disko).containsSequence("--argstr", "layout", host.startsWith("storage") ? "storage-array" : "single-ext4");
            Path target = work.resolve(label).resolve("target");
            assertThat(mine.get(at + 1)).containsSequence("--no-root-passwd", "--root", target.toString());
            installsAConfigurationOfTheLabsOutputs(host, mine.get(at + 1), disko.get(disko.indexOf("layout") + 1));
            for (List<String> command : mine) {
                for (String arg : command) {
                    for (String word : arg.replaceAll("[\\[\\]\"]", " ").trim().split("\\s+")) {
                        assertThat(word).as(host + ": " + command).doesNotMatch(KERNEL_NAME);
                    }
                }
            }
            if (host.startsWith("storage")) {
                String data = disko.get(disko.indexOf("dataDevices") + 1);
                assertThat(data).as("storage data devices").contains("/dev/disk/by-");
                // its disk policy wipes all-non-removable: the root and every data device, nothing else
                List<String> expected = new ArrayList<>(List.of(device));
                expected.addAll(List.of(data.replaceAll("[\\[\\]\"]", " ").trim().split("\\s+")));
                assertThat(wiped).as(host + " wiped").containsExactlyInAnyOrderElementsOf(expected);
            } else {
                assertThat(wiped).as(host + " wiped (root-disk)").containsExactly(device);
            }

            assertThat(mode(target.resolve("etc/ssh/ssh_host_ed25519_key"))).as(host).isEqualTo("rw-------");
            assertThat(Files.readString(target.resolve("etc/ssh/ssh_host_ed25519_key"))).startsWith("-----BEGIN OPENSSH PRIVATE KEY-----");
            assertThat(mode(target.resolve("etc/ssh/ssh_host_ed25519_key.pub"))).isEqualTo("rw-r--r--");
            assertThat(Files.readString(target.resolve("etc/ssh/ssh_host_ed25519_key.pub"))).startsWith("ssh-ed25519 ");
            Path tls = target.resolve("var/lib/ultracloud/tls");
            assertThat(mode(tls.resolve("node.key"))).as(host).isEqualTo("rw-------");
            assertThat(Files.readString(tls.resolve("node.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(Files.readString(tls.resolve("node.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
            assertThat(Files.readString(tls.resolve("ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
        }
    }

    @Test
    @Order(2)
    void aFailedFirstAttemptIsRetriedUntilInstalled() throws Exception {
        Path commands = tmp.resolve("retry-commands.jsonl");
        InstallerProcess.Result lab = InstallerProcess.run(tmp, "lab", "--deployer", gateway.url(), "--operator-install",
                "--join-secret-file", gateway.joinSecretFile().toString(),
                "--operator-token-file", gateway.adminTokenFile().toString(), "--machines", "3", "--fail-first-attempt", "--work-dir", tmp.resolve("retry").toString(),
                "--commands", commands.toString(), "--timeout", "240");

        assertThat(lab.exitCode()).as(lab.out() + lab.err()).isZero();
        Map<String, String> ids = machineIds(commands);
        assertThat(ids).hasSize(3);
        for (String id : ids.values()) {
            List<String> events = gateway.eventTypes(id);
            int failed = events.indexOf("InstallFailed");
            assertThat(failed).as(events.toString()).isNotNegative();
            assertThat(events.subList(failed, events.size())).as(events.toString())
                    .containsSubsequence("InstallFailed", "InstallPlanIssued", "InstallStarted", "InstallSucceeded");
            assertThat(gateway.get("/api/v1/machines/" + id + "?consistent=true").get("state").asText()).isEqualTo("INSTALLED");
        }
        assertThat(jsonLines(commands)).filteredOn(r -> r.get("attempt").asInt() == 1)
                .extracting(r -> r.get("step").asText()).doesNotContain("systemctl");
    }

    @Test
    @Order(3)
    void aMachineThatFailsEveryAttemptEndsFailed() throws Exception {
        Path commands = tmp.resolve("fail-commands.jsonl");
        InstallerProcess.Result lab = InstallerProcess.run(tmp, "lab", "--deployer", gateway.url(), "--operator-install",
                "--join-secret-file", gateway.joinSecretFile().toString(),
                "--operator-token-file", gateway.adminTokenFile().toString(), "--machines", "1", "--fail", "1.0", "--work-dir", tmp.resolve("fail").toString(),
                "--commands", commands.toString(), "--timeout", "240");

        assertThat(lab.exitCode()).as(lab.out()).isEqualTo(1);
        assertThat(lab.out()).contains("1 machines, 0 INSTALLED");
        String id = machineIds(commands).values().iterator().next();
        List<String> events = gateway.eventTypes(id);
        assertThat(events.stream().filter("InstallFailed"::equals).count()).as(events.toString()).isEqualTo(3);
        assertThat(events).doesNotContain("InstallSucceeded");
        JsonNode machine = gateway.get("/api/v1/machines/" + id + "?consistent=true"); // the event store, not the read model
        assertThat(machine.get("state").asText()).isEqualTo("FAILED");
        assertThat(machine.path("lastFailure").path("logTail").asText()).contains("error: simulated failure of step");
    }

    @Test
    @Order(4)
    void aMachineThatBootsWithOtherDisksThanItsPlanWasMadeForIsInspectedAgainAndNothingIsWritten() throws Exception {
        ObjectNode discovered = (ObjectNode) JSON.readTree(GatewayProcess.REPO.resolve("nix/examples/lab/hardware/cp-1.json").toFile());
        ((ObjectNode) discovered.get("identity")).put("smbiosUuid", UUID.randomUUID().toString()).put("systemSerial", "MISMATCH1")
                .put("boardSerial", "MISMATCHB1");
        int n = 0;
        for (JsonNode nic : discovered.get("nics")) {
            String mac = String.format("02:00:00:aa:bb:%02x", n++);
            ((ObjectNode) nic).put("mac", mac).put("permanentMac", mac);
        }
        // the deployer plans with the facts it was told; the machine then boots with another disk listed first
        // (one that would satisfy the same hints: size >= 800 GiB, not rotational)
        ObjectNode local = discovered.deepCopy();
        ObjectNode extra = ((ObjectNode) local.get("disks").get(0)).deepCopy();
        extra.put("name", "/dev/nvme1n1").put("serial", "EXTRA0001").put("wwn", "eui.00000000000000ffffffffffff0001")
                .put("sizeBytes", 1_920_383_410_176L).put("byPath", "/dev/disk/by-path/pci-0000:09:00.0-nvme-1");
        extra.set("byId", JSON.createArrayNode().add("/dev/disk/by-id/nvme-EXTRA_DISK_EXTRA0001")
                .add("/dev/disk/by-id/nvme-eui.00000000000000ffffffffffff0001"));
        ArrayNode disks = JSON.createArrayNode().add(extra);
        local.get("disks").forEach(disks::add);
        local.set("disks", disks);
        Path localFacts = tmp.resolve("mismatch-local.json");
        JSON.writeValue(localFacts.toFile(), local);

        String id = gateway.post("/api/v1/bootstrap/discover", discovered).get("machineId").asText();
        awaitState(id, "DISCOVERED", "INSPECTED");
        if (state(id).equals("DISCOVERED")) {
            gateway.post("/api/v1/machines/" + id + "/inspect", Map.of("nodeClass", "control-plane"));
        }
        awaitState(id, "INSPECTED");
        gateway.post("/api/v1/machines/" + id + "/commission",
                Map.of("nodeClass", "control-plane", "pool", "control-plane", "hostname", "mismatch-1"));
        awaitState(id, "COMMISSIONED");
        gateway.post("/api/v1/machines/" + id + "/install", Map.of("attemptLimit", 1));
        await().atMost(Duration.ofSeconds(60)).until(() -> gateway.status("/api/v1/machines/" + id + "/install-plan") == 200);

        Path root = Files.createDirectories(tmp.resolve("mismatch-root"));
        InstallerProcess installer = InstallerProcess.start(tmp, "run", "--deployer", gateway.url(), "--facts", localFacts.toString(),
                "--join-secret-file", gateway.joinSecretFile().toString(),
                "--simulate", "--root", root.toString(),
                "--target", tmp.resolve("mismatch-target").toString());
        try {
            // recorded next to the old facts, never silently taken; the pending install is called off
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(gateway.eventTypes(id))
                    .endsWith("InventoryRefreshed", "InspectionInvalidated"));
            JsonNode machine = gateway.get("/api/v1/machines/" + id + "?consistent=true"); // the event store, not the read model
            assertThat(machine.get("state").asText()).isEqualTo("DISCOVERED");
            assertThat(machine.at("/inspection/result").asText()).isEqualTo("invalidated");
            assertThat(machine.at("/hardware/disks")).hasSize(disks.size());
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(installer.out())
                    .contains("machine " + id + " is DISCOVERED; waiting for"));
            assertThat(installer.isAlive()).as("it waits for the new inspection, as told").isTrue();
            assertThat(tmp.resolve("mismatch-target/etc/ssh")).as("no credentials written").doesNotExist();
            assertThat(Files.readString(root.resolve("run/ultracloud/status"))).contains(id).contains("key:     sha256:");
        } finally {
            installer.stop();
        }
    }

    @Test
    @Order(6)
    void overTheHttpsPortTheInstallerTrustsOnlyTheClusterCaAndItsNodeCertificateIsThenItsCredential() throws Exception {
        ObjectNode facts = (ObjectNode) JSON.readTree(GatewayProcess.REPO.resolve("nix/examples/lab/hardware/worker-1.json").toFile());
        ((ObjectNode) facts.get("identity")).put("smbiosUuid", UUID.randomUUID().toString()).put("systemSerial", "TLS1");
        int n = 0;
        for (JsonNode nic : facts.get("nics")) {
            String mac = String.format("02:00:00:cc:dd:%02x", n++);
            ((ObjectNode) nic).put("mac", mac).put("permanentMac", mac);
        }
        Path factsFile = tmp.resolve("tls-facts.json");
        JSON.writeValue(factsFile.toFile(), facts);
        Path root = Files.createDirectories(tmp.resolve("tls-root"));
        Path target = tmp.resolve("tls-target");

        InstallerProcess installer = InstallerProcess.start(tmp, "run", "--deployer", gateway.httpsUrl(),
                "--ca-cert", gateway.caCertificate().toString(), "--join-secret-file", gateway.joinSecretFile().toString(),
                "--facts", factsFile.toString(), "--simulate", "--root", root.toString(), "--target", target.toString());
        try {
            String id = await().atMost(Duration.ofSeconds(60)).until(() -> machineIdIn(root.resolve("run/ultracloud/status")),
                    s -> s != null);
            // as an operator would (the enrollment rules may take a step first: then the operator's is refused)
            operator(id, "DISCOVERED", "inspect", Map.of());
            operator(id, "INSPECTED", "commission", Map.of("nodeClass", "worker", "pool", "general", "hostname", "worker-tls"));
            operator(id, "COMMISSIONED", "install", Map.of());
            InstallerProcess.Result result = installer.await(240);
            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            assertThat(result.out()).contains("deployer " + gateway.httpsUrl());

            // what the installer wrote into the new system now identifies the node, over real TLS
            Path tls = target.resolve("var/lib/ultracloud/tls");
            java.net.http.HttpResponse<String> identity = NodeTls.client(tls).send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gateway.httpsUrl() + "/api/v1/agent/identity")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(identity.statusCode()).as(identity.body()).isEqualTo(200);
            assertThat(JSON.readTree(identity.body()).get("machineId").asText()).isEqualTo(id);
            assertThat(JSON.readTree(identity.body()).get("state").asText()).isEqualTo("INSTALLED");
        } finally {
            installer.stop();
        }
        rescueAndExit(id(root), factsFile);
    }

    private static String id(Path root) {
        return machineIdIn(root.resolve("run/ultracloud/status"));
    }

    /**
     * Issue 11, rescue end to end (real jars, the HTTPS port): the operator rescues the installed machine and the
     * installer boots on it. It writes exactly the intent's operator keys where the image's sshd reads them and
     * says ready; the detail shows the addresses to reach it at. exit-rescue ends it: the installer reboots the
     * machine into its system and exits 0. The history shows the operator's steps and the installer's.
     */
    private static void rescueAndExit(String id, Path factsFile) throws Exception {
        String m = "/api/v1/machines/" + id;
        gateway.post(m + "/rescue", Map.of());
        Path root = Files.createDirectories(tmp.resolve("rescue-root"));
        InstallerProcess installer = InstallerProcess.start(tmp, "run", "--deployer", gateway.httpsUrl(),
                "--ca-cert", gateway.caCertificate().toString(), "--join-secret-file", gateway.joinSecretFile().toString(),
                "--facts", factsFile.toString(), "--simulate", "--root", root.toString(),
                "--target", tmp.resolve("rescue-target").toString(), "--plan-wait", "2");
        try {
            JsonNode rescue = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> gateway.get(m + "?consistent=true").path("rescue"), r -> r.path("status").asText().equals("ready"));
            assertThat(strings(rescue.get("addresses"))).isNotEmpty()
                    .containsExactlyElementsOf(strings(JSON.readTree(factsFile.toFile()).at("/network/addresses")));
            List<String> keys = strings(JSON.readTree(GatewayProcess.REPO.resolve("nix/examples/lab/expected-cluster-state.json")
                    .toFile()).at("/cluster/operatorSshKeys"));
            assertThat(keys).isNotEmpty();
            Path authorized = root.resolve("run/ultracloud/authorized_keys");
            assertThat(Files.readAllLines(authorized)).containsExactlyElementsOf(keys);
            assertThat(mode(authorized)).isEqualTo("rw-------");
            assertThat(tmp.resolve("rescue-target")).as("nothing written to any disk").doesNotExist();

            gateway.post(m + "/exit-rescue", Map.of());
            InstallerProcess.Result result = installer.await(60);
            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            assertThat(result.out()).contains("rebooting into its installed system");
            assertThat(state(id)).isEqualTo("INSTALLED");

            Map<String, String> principals = new java.util.LinkedHashMap<>();
            for (JsonNode e : gateway.get(m + "/events")) {
                if (e.get("type").asText().startsWith("Rescue")) {
                    principals.put(e.get("type").asText(), e.at("/metadata/principal").asText());
                }
            }
            assertThat(principals.keySet()).containsExactly("RescueRequested", "RescueBooted", "RescueReady", "RescueExited");
            assertThat(principals.get("RescueRequested")).isNotBlank().doesNotStartWith("installer")
                    .isEqualTo(principals.get("RescueExited"));
            assertThat(principals.get("RescueBooted")).startsWith("installer");
            assertThat(principals.get("RescueReady")).startsWith("installer");
        } finally {
            installer.stop();
        }
    }

    /** Takes {@code action} once the machine has left the states before {@code from}, unless it is already past it. */
    private static void operator(String id, String from, String action, Map<String, ?> body) throws Exception {
        List<String> order = List.of("DISCOVERED", "INSPECTED", "COMMISSIONED", "INSTALL_PENDING", "INSTALLING", "INSTALLED");
        await().atMost(Duration.ofSeconds(60)).until(() -> order.indexOf(state(id)) >= order.indexOf(from));
        if (state(id).equals(from)) {
            try {
                gateway.post("/api/v1/machines/" + id + "/" + action, body);
            } catch (IllegalStateException raced) {
                assertThat(raced.getMessage()).as("only an enrollment rule's step may race it").contains(" 409");
            }
        }
    }

    private static String machineIdIn(Path status) {
        try {
            Matcher m = Pattern.compile("machine: ([0-9a-f-]{36})").matcher(Files.readString(status));
            return m.find() ? m.group(1) : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    @Test
    @Order(5)
    void aBadUrlOrAClientErrorIsOneClearLineAndANonZeroExit() throws Exception {
        Path facts = GatewayProcess.REPO.resolve("nix/examples/lab/hardware/worker-1.json");

        InstallerProcess.Result badScheme = InstallerProcess.run(tmp, "run", "--deployer", "ftp://deployer.example",
                "--facts", facts.toString(), "--simulate", "--root", tmp.toString());
        assertThat(badScheme.exitCode()).isEqualTo(2);
        assertThat(badScheme.err().strip()).isEqualTo("bad-deployer-url: 'ftp://deployer.example' is not an http:// or https:// URL");

        InstallerProcess.Result notADeployer = InstallerProcess.run(tmp, "run", "--deployer", gateway.url() + "/no/such/prefix",
                "--join-secret-file", gateway.joinSecretFile().toString(),
                "--facts", facts.toString(), "--simulate",
                "--root", tmp.toString());
        assertThat(notADeployer.exitCode()).isEqualTo(1);
        assertThat(notADeployer.err().strip()).startsWith("deployer-refused: discover: the deployer at " + gateway.url()
                + "/no/such/prefix answered 404").doesNotContain("\n");

        Path empty = tmp.resolve("empty-facts.json");
        Files.writeString(empty, "{\"nics\":[],\"disks\":[]}");
        InstallerProcess.Result invalid = InstallerProcess.run(tmp, "run", "--deployer", gateway.url(),
                "--join-secret-file", gateway.joinSecretFile().toString(),
                "--facts", empty.toString(), "--simulate",
                "--root", tmp.toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err().strip()).startsWith("deployer-refused: discover: the deployer at " + gateway.url() + " answered 4")
                .doesNotContain("\n");

        InstallerProcess.Result labBadUrl = InstallerProcess.run(tmp, "lab", "--deployer", "not a url");
        assertThat(labBadUrl.exitCode()).isEqualTo(2);
        assertThat(labBadUrl.err().strip()).startsWith("bad-deployer-url: ");
    }

    /**
     * The system that the recorded {@code nixos-install --flake} argument makes nixos-install build exists in the
     * lab's generated flake outputs (nix/lib/nixos-configurations.nix, evaluated against the stand-ins for nixpkgs
     * and disko in nix/tests/stubs), passes its assertions, and has the disk layout the installer partitioned with;
     * the flake is the one the intent names for that host.
     */
    private static void installsAConfigurationOfTheLabsOutputs(String host, List<String> nixosInstall, String layout) throws Exception {
        String argument = nixosInstall.get(nixosInstall.indexOf("--flake") + 1);
        // nixos-install.sh: [[ $flake =~ ^(.*)\#([^\#\"]*)$ ]] ... flakeAttr="nixosConfigurations.\"$flakeAttr\""
        // and then nix build "$flake#$flakeAttr.config.system.build.toplevel"
        Matcher split = NIXOS_INSTALL_FLAKE.matcher(argument);
        assertThat(split.matches()).as(argument).isTrue();
        assertThat(split.group(2)).as("nixos-install refuses an empty configuration name: " + argument).isNotEmpty();
        String flakeAttr = "nixosConfigurations.\"" + split.group(2) + "\"";
        JsonNode installed = NixEval.json("let outputs = import ./nix/tests/lab-configurations.nix { }; system = outputs."
                + flakeAttr + "; in { toplevel = system.config.system.build.toplevel.drvPath;"
                + " layout = system.config.ultracloud.disk.layout; root = system.config.fileSystems.\"/\".device;"
                + " flake = (import ./nix/examples/lab).nodeModuleArgs.\"" + host + "\".system.flake; }");
        assertThat(installed.get("toplevel").asText()).as(argument).endsWith("-nixos-system-" + host + ".drv");
        assertThat(installed.get("layout").asText()).as(host + ": the installed system's disk layout").isEqualTo(layout);
        assertThat(installed.get("root").asText()).as(host).startsWith("/dev/disk/by-partlabel/");
        assertThat(split.group(1)).as(host + ": the flake").isEqualTo(installed.get("flake").asText());
    }

    private static String state(String id) throws Exception {
        return gateway.get("/api/v1/machines/" + id + "?consistent=true").get("state").asText();
    }

    private static void awaitState(String id, String... states) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> List.of(states).contains(state(id)));
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    static List<JsonNode> jsonLines(Path file) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    private static Map<String, String> machineIds(Path commands) throws Exception {
        Map<String, String> ids = new LinkedHashMap<>();
        jsonLines(commands).forEach(r -> ids.put(r.get("machine").asText(), r.get("machineId").asText()));
        return ids;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
