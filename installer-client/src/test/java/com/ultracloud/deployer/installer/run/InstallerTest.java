package com.ultracloud.deployer.installer.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.protocol.MachineInventory.Disk;
import com.ultracloud.deployer.protocol.seal.InstallerKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.ultracloud.deployer.installer.run.StubDeployer.Answer.json;
import static com.ultracloud.deployer.installer.run.StubDeployer.Answer.problem;
import static com.ultracloud.deployer.installer.run.TestMachines.BIG_NVME;
import static com.ultracloud.deployer.installer.run.TestMachines.SMALL_NVME;
import static com.ultracloud.deployer.installer.run.TestMachines.ack;
import static com.ultracloud.deployer.installer.run.TestMachines.discover;
import static com.ultracloud.deployer.installer.run.TestMachines.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InstallerTest {

    private static final Backoff FAST = new Backoff(Duration.ofMillis(50), Duration.ofMillis(400));

    @TempDir
    Path tmp;

    private final StringWriter console = new StringWriter();
    private final InstallerKey key = InstallerKey.generate();

    private Installer installer(StubDeployer stub, SimulatedExecutor executor) {
        return installer(stub, executor, TestMachines.MACHINE);
    }

    private Installer installer(StubDeployer stub, SimulatedExecutor executor, MachineInventory machine) {
        Installer.Settings settings = new Installer.Settings(tmp.resolve("mnt"), "/etc/ultracloud/disko",
                Duration.ofSeconds(1), FAST, Set.of(), null, null);
        return new Installer(new DeployerClient(stub.url(), Duration.ofSeconds(5)), machine, key, executor,
                settings, new PrintWriter(console, true), null, StatusFile.under(tmp.resolve("root")));
    }

    private static final String OPS_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGTqLQFQUH0kdJ0lp2nYww+6I/R8kKNE8zz2/lmY48tL ops@lab";
    private static final String ONCALL_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJx3v1XWqB2Zr3Q9kz0pQ7R1T2w5eXnL8mYkz4cV0aBd oncall@lab";

    /** An installer whose rescue keys file lies under the test's directory (the image's is /run/ultracloud/authorized_keys). */
    private Installer rescueInstaller(StubDeployer stub, SimulatedExecutor executor) {
        Installer.Settings settings = new Installer.Settings(tmp.resolve("mnt"), "/etc/ultracloud/disko",
                Duration.ofSeconds(1), Duration.ofSeconds(1), FAST, Set.of(), null, null,
                tmp.resolve("root/run/ultracloud/authorized_keys"));
        return new Installer(new DeployerClient(stub.url(), Duration.ofSeconds(5)), TestMachines.MACHINE, key, executor,
                settings, new PrintWriter(console, true), null, StatusFile.under(tmp.resolve("root")));
    }

    private static String rescue(String keys) {
        return "{\"machineId\":\"11111111-2222-3333-4444-555555555555\",\"state\":\"RESCUE\",\"pollAfterSeconds\":1,"
                + "\"instruction\":\"rescue\",\"operatorSshKeys\":[" + keys + "]}";
    }

    /**
     * Rescue (issue 11): exactly the intent's keys go where the image's sshd reads them (0600), sshd is started,
     * every discover after that says rescue=ready, nothing touches a disk; when the operator ends the rescue
     * of an installed machine, it reboots into its own system.
     */
    @Test
    void rescueWritesExactlyTheOperatorsKeysStartsSshdReportsReadyAndRebootsWhenItEnds() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.discover.add(json(200, rescue("\"" + OPS_KEY + "\",\"" + ONCALL_KEY + "\"")));
            stub.discover.add(json(200, rescue("\"" + OPS_KEY + "\",\"" + ONCALL_KEY + "\"")));
            stub.discover.add(json(200, discover("INSTALLED", null, "wait")));
            SimulatedExecutor executor = SimulatedExecutor.succeeding();

            InstallOutcome outcome = rescueInstaller(stub, executor).run();

            assertThat(outcome.result()).isEqualTo(InstallOutcome.Result.RESCUE_ENDED);
            Path keys = tmp.resolve("root/run/ultracloud/authorized_keys");
            assertThat(Files.readAllLines(keys)).containsExactly(OPS_KEY, ONCALL_KEY);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rw-------");
            assertThat(executor.recorded()).extracting(SimulatedExecutor.Recorded::command).containsExactly(
                    List.of("systemctl", "start", "sshd.service"), List.of("systemctl", "reboot"));
            List<StubDeployer.Request> discovers = stub.requests("/api/v1/bootstrap/discover");
            assertThat(discovers).hasSize(3);
            assertThat(discovers.get(0).query()).as("the first discover: no rescue yet").isNull();
            assertThat(discovers.subList(1, 3)).allSatisfy(r -> assertThat(r.query()).contains("rescue=ready"));
            assertThat(console.toString()).contains("in rescue", "nothing on the disks is touched", "rebooting into its installed system");
        }
    }

    /** Without operator keys nobody could log in: no sshd, no "ready", and the console says what to fix. */
    @Test
    void aRescueWithoutOperatorKeysIsNotReportedReady() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.discover.add(json(200, rescue("")));
            stub.discover.add(json(200, rescue("")));
            stub.discover.add(json(200, discover("INSTALLED", null, "wait")));
            SimulatedExecutor executor = SimulatedExecutor.succeeding();
            Installer installer = new Installer(new DeployerClient(stub.url(), Duration.ofSeconds(5)), TestMachines.MACHINE, key,
                    executor, new Installer.Settings(tmp.resolve("mnt"), "/etc/ultracloud/disko", Duration.ofSeconds(1),
                    Duration.ofSeconds(1), FAST, Set.of("INSTALLED"), null, null, tmp.resolve("keys")),
                    new PrintWriter(console, true), null, null);

            InstallOutcome outcome = installer.run();

            assertThat(outcome.result()).isEqualTo(InstallOutcome.Result.STOPPED);
            assertThat(executor.recorded()).isEmpty();
            assertThat(tmp.resolve("keys")).doesNotExist();
            assertThat(stub.requests("/api/v1/bootstrap/discover")).allSatisfy(r ->
                    assertThat(r.query() == null ? "" : r.query()).doesNotContain("rescue"));
            assertThat(console.toString()).contains("names no operatorSshKeys");
        }
    }

    @Test
    void waitsThenInstallsReportingEveryStepAndReboots() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.discover.add(json(200, discover("DISCOVERED", null, "wait")));
            stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-1", "install")));
            stub.plan.add(new StubDeployer.Answer(204, null, ""));
            stub.plan.add(json(200, plan("plan-1", SMALL_NVME, "single-ext4")));
            stub.progress.add(json(202, ack("INSTALLING")));
            SimulatedExecutor executor = SimulatedExecutor.succeeding();

            InstallOutcome outcome = installer(stub, executor).run();

            assertThat(outcome.installed()).isTrue();
            assertThat(outcome.rootDevice()).isEqualTo(SMALL_NVME);
            assertThat(outcome.hostname()).isEqualTo("cp-1");
            assertThat(console.toString()).contains("is DISCOVERED; waiting for an operator or an enrollment rule")
                    .contains("waiting for its install plan");
            assertThat(stub.requests("/api/v1/bootstrap/plan")).allSatisfy(r -> {
                assertThat(r.authorization()).isEqualTo("Bearer tok-1");
                assertThat(r.query()).contains("wait=1000ms").contains("machineId=11111111-2222-3333-4444-555555555555");
            });
            String mnt = tmp.resolve("mnt").toString();
            assertThat(executor.recorded()).extracting(SimulatedExecutor.Recorded::command).containsExactly(
                    List.of("wipefs", "--all", "--force", SMALL_NVME),
                    List.of("blkdiscard", "--force", SMALL_NVME),
                    List.of("disko", "--mode", "disko", "--root-mountpoint", mnt, "--argstr", "layout", "single-ext4",
                            "--argstr", "device", SMALL_NVME, "/etc/ultracloud/disko"),
                    List.of("nixos-install", "--flake", "git+https://git.lab/fleet?ref=main#cp-1",
                            "--no-root-passwd", "--root", mnt),
                    List.of("systemctl", "reboot"));
            List<JsonNode> reports = stub.progressReports();
            assertThat(reports).extracting(r -> r.get("step").asText() + "/" + r.get("result").asText() + "/" + r.path("percent").asInt())
                    .containsExactly("root-device/running/5", "wipe/running/10", "disko/running/20", "credentials/running/50",
                            "nixos-install/running/60", "done/succeeded/100");
            assertThat(stub.requests("/api/v1/bootstrap/progress")).allSatisfy(r ->
                    assertThat(r.authorization()).isEqualTo("Bearer tok-1"));

            Path key = tmp.resolve("mnt/etc/ssh/ssh_host_ed25519_key");
            assertThat(Files.readString(key)).contains("SSHKEY");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.resolveSibling("ssh_host_ed25519_key.pub"))))
                    .isEqualTo("rw-r--r--");
            Path tls = tmp.resolve("mnt/var/lib/ultracloud/tls");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.resolve("node.key")))).isEqualTo("rw-------");
            assertThat(Files.readString(tls.resolve("node.crt"))).contains("NODE");
            assertThat(Files.readString(tls.resolve("ca.crt"))).contains("CA");
            assertThat(Files.readString(tmp.resolve("root/run/ultracloud/status")))
                    .contains("machine: 11111111-2222-3333-4444-555555555555");
        }
    }

    /** A deployer that tells the machine to install, hands out {@code plan} and acknowledges progress with {@code state}. */
    private static StubDeployer installPending(String plan, String state) throws IOException {
        StubDeployer stub = new StubDeployer();
        stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-1", "install")));
        stub.plan.add(json(200, plan));
        stub.progress.add(json(202, ack(state)));
        return stub;
    }

    private static JsonNode lastReport(StubDeployer stub) {
        return stub.progressReports().get(stub.progressReports().size() - 1);
    }

    @Test
    void refusesAPlanWhoseHintsResolveToAnotherDiskHere() throws Exception {
        try (StubDeployer stub = installPending(plan("plan-1", BIG_NVME, "single-ext4"), "INSTALL_PENDING")) {
            SimulatedExecutor executor = SimulatedExecutor.succeeding();

            InstallOutcome outcome = installer(stub, executor).run();

            assertThat(outcome.result()).isEqualTo(InstallOutcome.Result.INSTALL_FAILED);
            assertThat(outcome.failure()).contains("root device mismatch").contains(BIG_NVME).contains(SMALL_NVME);
            assertThat(executor.recorded()).as("nothing touched the disks").isEmpty();
            assertThat(tmp.resolve("mnt/etc/ssh")).doesNotExist();
            JsonNode failed = lastReport(stub);
            assertThat(failed.get("result").asText()).isEqualTo("failed");
            assertThat(failed.get("step").asText()).isEqualTo("root-device");
            assertThat(failed.get("message").asText()).contains("root device mismatch: the plan names " + BIG_NVME)
                    .contains("resolve to " + SMALL_NVME);
        }
    }

    @Test
    void nixosInstallIsGivenTheConfigurationNameThatItLooksUpUnderNixosConfigurations() throws Exception {
        try (StubDeployer stub = installPending(plan("plan-1", SMALL_NVME, "single-ext4"), "INSTALLING")) {
            SimulatedExecutor executor = SimulatedExecutor.succeeding();

            installer(stub, executor).run();

            List<String> command = executor.recorded().stream().filter(r -> r.step().equals("nixos-install")).findFirst()
                    .orElseThrow().command();
            String flakeArgument = command.get(command.indexOf("--flake") + 1);
            // nixos-install.sh: [[ $flake =~ ^(.*)\#([^\#\"]*)$ ]], then flakeAttr="nixosConfigurations.\"$flakeAttr\""
            Matcher split = Pattern.compile("^(.*)#([^#\"]*)$").matcher(flakeArgument);
            assertThat(split.matches()).as(flakeArgument).isTrue();
            assertThat(split.group(1)).isEqualTo("git+https://git.lab/fleet?ref=main");
            assertThat("nixosConfigurations.\"" + split.group(2) + "\"").isEqualTo("nixosConfigurations.\"cp-1\"");
            assertThat(console.toString()).contains("[60%] nixos-install: installing git+https://git.lab/fleet?ref=main#cp-1");
            assertThat(lastReport(stub).get("message").asText())
                    .startsWith("installed git+https://git.lab/fleet?ref=main#cp-1 on ");
        }
    }

    @Test
    void aPlanWithoutAConfigurationNameIsRefusedBeforeAnyDiskIsTouched() throws Exception {
        // a deployer from before plan.system.configuration existed
        String oldPlan = plan("plan-1", SMALL_NVME, "single-ext4").replace(",\"configuration\":\"cp-1\"", "");
        try (StubDeployer stub = installPending(oldPlan, "INSTALL_PENDING")) {
            SimulatedExecutor executor = SimulatedExecutor.succeeding();

            InstallOutcome outcome = installer(stub, executor).run();

            assertThat(outcome.result()).isEqualTo(InstallOutcome.Result.INSTALL_FAILED);
            assertThat(executor.recorded()).as("nothing touched the disks").isEmpty();
            JsonNode failed = lastReport(stub);
            assertThat(failed.get("result").asText()).isEqualTo("failed");
            assertThat(failed.get("step").asText()).isEqualTo("plan");
            assertThat(failed.get("message").asText()).contains("attribute nixosConfigurations.cp-1, configuration null")
                    .contains("refusing to install");
        }
    }

    @Test
    void aFailingCommandIsReportedWithTheTailOfItsOutput() throws Exception {
        try (StubDeployer stub = installPending(plan("plan-1", SMALL_NVME, "single-ext4"), "INSTALLING")) {
            SimulatedExecutor executor = new SimulatedExecutor("nixos-install"::equals);

            InstallOutcome outcome = installer(stub, executor).run();

            assertThat(outcome.result()).isEqualTo(InstallOutcome.Result.INSTALL_FAILED);
            JsonNode failed = lastReport(stub);
            assertThat(failed.get("result").asText()).isEqualTo("failed");
            assertThat(failed.get("step").asText()).isEqualTo("nixos-install");
            assertThat(failed.get("message").asText()).isEqualTo("nixos-install: nixos-install exited with 1");
            List<String> tail = failed.get("logTail").asText().lines().toList();
            assertThat(tail).hasSize(Installation.LOG_TAIL_LINES).endsWith("error: simulated failure of step nixos-install");
            assertThat(executor.recorded()).extracting(SimulatedExecutor.Recorded::step)
                    .containsExactly("wipe", "wipe", "disko", "nixos-install");
        }
    }

    @Test
    void aRefusedTokenMeansDiscoverAgainAndUseTheNewToken() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-old", "install")));
            stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-new", "install")));
            stub.plan.add(problem(403, "unknown install token"));
            stub.plan.add(json(200, plan("plan-1", SMALL_NVME, "single-ext4")));
            stub.progress.add(json(202, ack("INSTALLED")));

            InstallOutcome outcome = installer(stub, SimulatedExecutor.succeeding()).run();

            assertThat(outcome.installed()).isTrue();
            assertThat(stub.requests("/api/v1/bootstrap/plan")).extracting(StubDeployer.Request::authorization)
                    .containsExactly("Bearer tok-old", "Bearer tok-new");
            assertThat(stub.requests("/api/v1/bootstrap/progress")).extracting(StubDeployer.Request::authorization)
                    .containsOnly("Bearer tok-new");
            assertThat(console.toString()).contains("the install token was refused");
        }
    }

    /** A replica without its database answers 503 with Retry-After: the wait honours it, up to the backoff's cap. */
    @Test
    void retryAfterLengthensTheBackoffUpToItsCap() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.discover.add(problem(503, "the database is unavailable").withRetryAfter("5"));
            stub.discover.add(problem(503, "the database is unavailable").withRetryAfter("soon"));
            stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-1", "install")));
            stub.plan.add(json(200, plan("plan-1", SMALL_NVME, "single-ext4")));
            stub.progress.add(json(202, ack("INSTALLED")));

            assertThat(installer(stub, SimulatedExecutor.succeeding()).run().installed()).isTrue();
            // FAST's first delay is 25-50 ms and its cap 400 ms: "5" waits the cap, an unreadable value the backoff
            assertThat(console.toString()).contains("database is unavailable; retrying in 400 ms (attempt 2)")
                    .containsPattern("database is unavailable; retrying in (\\d{2}|1\\d{2}) ms \\(attempt 3\\)");
        }
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.discover.add(problem(503, "starting"));
            stub.discover.add(problem(500, "oops"));
            stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-1", "install")));
            stub.plan.add(json(200, plan("plan-1", SMALL_NVME, "single-ext4")));
            stub.progress.add(json(202, ack("INSTALLED")));

            assertThat(installer(stub, SimulatedExecutor.succeeding()).run().installed()).isTrue();
            assertThat(stub.requests("/api/v1/bootstrap/discover")).hasSize(3);
            assertThat(console.toString()).contains("answered 503: starting; retrying in");
        }
    }

    @Test
    void secretsThatCrossedTheWireInTheClearAreRefusedBeforeAnythingIsTouched() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.sealPlans = false;
            stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-1", "install")));
            stub.plan.add(json(200, plan("plan-1", SMALL_NVME, "single-ext4")));
            stub.progress.add(json(202, ack("INSTALL_PENDING")));
            SimulatedExecutor executor = SimulatedExecutor.succeeding();

            InstallOutcome outcome = installer(stub, executor).run();

            assertThat(outcome.installed()).isFalse();
            assertThat(outcome.failure()).startsWith("plan: the plan's secrets are not sealed to this installer's key " + key.fingerprint());
            assertThat(executor.recorded()).isEmpty();
            assertThat(tmp.resolve("mnt/etc/ssh")).doesNotExist();
        }
    }

    @Test
    void secretsSealedToAnotherKeyAreRefusedBeforeAnythingIsTouched() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.sealPlans = false;
            InstallerKey other = InstallerKey.generate();
            com.fasterxml.jackson.databind.node.ObjectNode answer = (com.fasterxml.jackson.databind.node.ObjectNode)
                    StubDeployer.JSON.readTree(plan("plan-1", SMALL_NVME, "single-ext4"));
            var clear = StubDeployer.JSON.treeToValue(answer.get("secrets"), com.ultracloud.deployer.protocol.BootstrapPlan.Secrets.class);
            answer.set("secrets", StubDeployer.JSON.valueToTree(com.ultracloud.deployer.protocol.BootstrapPlan.Secrets.sealedAs(
                    com.ultracloud.deployer.protocol.seal.PlanSecretsSeal.seal(clear, other.publicKey(), StubDeployer.MACHINE_ID, "plan-1"))));
            stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-1", "install")));
            stub.plan.add(json(200, answer.toString()));
            stub.progress.add(problem(403, "progress reports need the plan's progress token"));
            SimulatedExecutor executor = SimulatedExecutor.succeeding();

            InstallOutcome outcome = installer(stub, executor).run();

            assertThat(outcome.failure()).contains("sealed to installer key " + other.fingerprint());
            assertThat(executor.recorded()).isEmpty();
            // it cannot even report the failure: that takes the progress token inside the secrets it could not open
            assertThat(stub.requests("/api/v1/bootstrap/progress")).singleElement()
                    .satisfies(r -> assertThat(r.progressToken()).isNull());
            assertThat(console.toString()).contains("could not report the failure");
        }
    }

    @Test
    void discoverLongPollsAndAsksAgainAtOnceWhenTheDeployerHeldTheAnswer() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            // pollAfterSeconds 60: an installer that slept it between discovers would not finish within the test
            stub.discover.add(json(200, discover("DISCOVERED", null, "wait").replace("\"pollAfterSeconds\":1", "\"pollAfterSeconds\":60")));
            stub.discover.add(json(200, discover("DISCOVERED", null, "wait").replace("\"pollAfterSeconds\":1", "\"pollAfterSeconds\":60")));
            stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-1", "install")));
            stub.plan.add(json(200, plan("plan-1", SMALL_NVME, "single-ext4")));
            stub.progress.add(json(202, ack("INSTALLING")));
            stub.discoverHold = Duration.ofMillis(700); // more than half the 1 s long-poll: the deployer held it

            CompletableFuture<InstallOutcome> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return installer(stub, SimulatedExecutor.succeeding()).run();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            assertThat(running.get(30, java.util.concurrent.TimeUnit.SECONDS).installed()).isTrue();
            List<StubDeployer.Request> discovers = stub.requests("/api/v1/bootstrap/discover");
            assertThat(discovers).hasSize(3);
            assertThat(discovers.get(0).query()).as("the boot's first discover is answered at once").isNull();
            assertThat(discovers.subList(1, 3)).allSatisfy(r -> assertThat(r.query()).isEqualTo("wait=1000ms"));
            assertThat(console.toString()).doesNotContain("asking again in 60 s");
        }
    }

    @Test
    void aDeployerWithoutTheLongPollIsAskedAgainAfterPollAfterSeconds() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.discover.add(json(200, discover("DISCOVERED", null, "wait"))); // the first: asked again at once
            stub.discover.add(json(200, discover("DISCOVERED", null, "wait"))); // not held: an older deployer
            stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-1", "install")));
            stub.plan.add(json(200, plan("plan-1", SMALL_NVME, "single-ext4")));
            stub.progress.add(json(202, ack("INSTALLING")));

            assertThat(installer(stub, SimulatedExecutor.succeeding()).run().installed()).isTrue();
            assertThat(console.toString()).contains("asking again in 1 s");
        }
    }

    @Test
    void deployerDownWhileWaitingIsRetriedUntilItIsUp() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Installer.Settings settings = new Installer.Settings(tmp.resolve("mnt"), "/etc/ultracloud/disko",
                Duration.ofSeconds(1), FAST, Set.of(), null, null);
        Installer installer = new Installer(new DeployerClient(java.net.URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(5)),
                TestMachines.MACHINE, key, SimulatedExecutor.succeeding(), settings, new PrintWriter(console, true), null, null);
        CompletableFuture<InstallOutcome> running = CompletableFuture.supplyAsync(() -> {
            try {
                return installer.run();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1500);
        assertThat(running).isNotDone();
        try (StubDeployer stub = new StubDeployer(port)) {
            stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-1", "install")));
            stub.plan.add(json(200, plan("plan-1", SMALL_NVME, "single-ext4")));
            stub.progress.add(json(202, ack("INSTALLED")));
            assertThat(running.get(20, java.util.concurrent.TimeUnit.SECONDS).installed()).isTrue();
        }
        assertThat(console.toString()).contains("cannot reach the deployer at http://127.0.0.1:" + port)
                .contains("retrying in");
    }

    @Test
    void aClientErrorEndsTheRunWithTheDeployersDetail() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.discover.add(problem(400, "identity: must not be null"));
            assertThatThrownBy(() -> installer(stub, SimulatedExecutor.succeeding()).run())
                    .isInstanceOf(DeployerException.class)
                    .hasMessage("discover: the deployer at " + stub.url() + " answered 400: identity: must not be null");
            assertThat(stub.requests("/api/v1/bootstrap/discover")).hasSize(1);
        }
    }

    @Test
    void storageArrayGetsEveryOtherFixedDiskAsData() throws Exception {
        try (StubDeployer stub = new StubDeployer()) {
            stub.discover.add(json(200, discover("INSTALL_PENDING", "tok-1", "install")));
            stub.plan.add(json(200, plan("plan-1", SMALL_NVME, "storage-array")));
            stub.progress.add(json(202, ack("INSTALLED")));
            SimulatedExecutor executor = SimulatedExecutor.succeeding();
            assertThat(installer(stub, executor).run().installed()).isTrue();
            assertThat(executor.recorded().stream().filter(r -> r.step().equals("disko")).findFirst().orElseThrow().command())
                    .containsSequence("--argstr", "layout", "storage-array")
                    .containsSequence("--arg", "dataDevices", "[ \"" + BIG_NVME + "\" ]");
        }
    }

    @Test
    void wipeAllNonRemovableWipesEveryFixedDiskAndNeverTheUsbStickThenInstalls() throws Exception {
        List<List<String>> commands = install(TestMachines.MACHINE, plan("plan-1", SMALL_NVME, "storage-array", "all-non-removable"));

        assertThat(commands.subList(0, 4)).containsExactly(
                List.of("wipefs", "--all", "--force", SMALL_NVME), List.of("blkdiscard", "--force", SMALL_NVME),
                List.of("wipefs", "--all", "--force", BIG_NVME), List.of("blkdiscard", "--force", BIG_NVME));
        assertThat(commands.subList(4, commands.size())).extracting(c -> c.get(0))
                .containsExactly("disko", "nixos-install", "systemctl");
        assertThat(commands.stream().flatMap(List::stream)).noneMatch(arg -> arg.contains("usb-SanDisk"));
        assertThat(console.toString()).contains("[10%] wipe: wiping 2 disks (all-non-removable): " + SMALL_NVME + ", " + BIG_NVME);
    }

    @Test
    void wipeRootDiskWipesOnlyTheRoot() throws Exception {
        List<List<String>> commands = install(TestMachines.MACHINE, plan("plan-1", SMALL_NVME, "single-ext4", "root-disk"));

        assertThat(commands.subList(0, 2)).containsExactly(
                List.of("wipefs", "--all", "--force", SMALL_NVME), List.of("blkdiscard", "--force", SMALL_NVME));
        assertThat(commands.get(2).get(0)).isEqualTo("disko");
        assertThat(commands.stream().flatMap(List::stream)).as("the other fixed disk is not the policy's").noneMatch(BIG_NVME::equals);
    }

    @Test
    void aRotatingDiskHasItsStartZeroedInsteadOfDiscarded() throws Exception {
        String wwn = "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4";
        Disk spinning = new Disk("/dev/sdb", List.of(wwn), null, 4_000_787_030_016L,
                "ST4000NM000A", "SEAGATE", "ZC1", "0x5000c500a1b2c3d4", null, null, null, true, false, "sata");
        MachineInventory machine = withDisks(TestMachines.USB, spinning, TestMachines.SMALL);

        List<List<String>> commands = install(machine, plan("plan-1", SMALL_NVME, "single-ext4", "all-non-removable"));

        assertThat(commands.subList(0, 4)).containsExactly(
                List.of("wipefs", "--all", "--force", SMALL_NVME), List.of("blkdiscard", "--force", SMALL_NVME),
                List.of("wipefs", "--all", "--force", wwn),
                List.of("dd", "if=/dev/zero", "of=" + wwn, "bs=1M", "count=32", "conv=fsync", "status=none"));
        assertThat(commands.get(4).get(0)).isEqualTo("disko");
    }

    @Test
    void aDiskThatRefusesTheDiscardHasItsStartZeroedInstead() throws Exception {
        try (StubDeployer stub = installPending(plan("plan-1", SMALL_NVME, "single-ext4"), "INSTALLED")) {
            SimulatedExecutor executor = SimulatedExecutor.succeeding()
                    .answer("wipe", new CommandExecutor.CommandResult(0, List.of()),
                            new CommandExecutor.CommandResult(1, List.of("blkdiscard: Operation not supported")),
                            new CommandExecutor.CommandResult(0, List.of()));

            assertThat(installer(stub, executor).run().installed()).isTrue();

            assertThat(executor.recorded()).extracting(SimulatedExecutor.Recorded::command).startsWith(
                    List.of("wipefs", "--all", "--force", SMALL_NVME), List.of("blkdiscard", "--force", SMALL_NVME),
                    List.of("dd", "if=/dev/zero", "of=" + SMALL_NVME, "bs=1M", "count=32", "conv=fsync", "status=none"));
            assertThat(console.toString()).contains("wipe: blkdiscard " + SMALL_NVME + " exited with 1; zeroing its start instead");
        }
    }

    @Test
    void anUnknownWipePolicyIsRefusedBeforeAnyDiskIsTouched() throws Exception {
        try (StubDeployer stub = installPending(plan("plan-1", SMALL_NVME, "single-ext4", "everything"), "FAILED")) {
            SimulatedExecutor executor = SimulatedExecutor.succeeding();

            InstallOutcome outcome = installer(stub, executor).run();

            assertThat(outcome.installed()).isFalse();
            assertThat(executor.recorded()).as("nothing touched the disks").isEmpty();
            assertThat(lastReport(stub).get("message").asText())
                    .isEqualTo("plan: unknown wipe policy 'everything' (known: all-non-removable, root-disk); refusing to touch a disk");
        }
    }

    /** Installs {@code plan} on {@code machine} with a succeeding simulated executor; answers the recorded commands. */
    private List<List<String>> install(MachineInventory machine, String plan) throws Exception {
        try (StubDeployer stub = installPending(plan, "INSTALLED")) {
            SimulatedExecutor executor = SimulatedExecutor.succeeding();
            assertThat(installer(stub, executor, machine).run().installed()).as(console.toString()).isTrue();
            return executor.recorded().stream().map(SimulatedExecutor.Recorded::command).toList();
        }
    }

    private static MachineInventory withDisks(Disk... disks) {
        MachineInventory m = TestMachines.MACHINE;
        return new MachineInventory(m.identity(), m.nics(), List.of(disks), m.cpu(), m.memoryBytes(), m.boot(), m.network(),
                m.installer());
    }

    @Test
    void backoffGrowsAndStaysWithinItsCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        for (int i = 0; i < 50; i++) {
            assertThat(b.delay(0).toMillis()).isBetween(50L, 100L);
            assertThat(b.delay(3).toMillis()).isBetween(400L, 800L);
            assertThat(b.delay(30).toMillis()).isBetween(1000L, 2000L);
        }
    }
}
