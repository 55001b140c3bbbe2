package com.ultracloud.deployer.installer.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.installer.run.Backoff;
import com.ultracloud.deployer.installer.run.CommandExecutor;
import com.ultracloud.deployer.installer.run.CommandExecutor.CommandResult;
import com.ultracloud.deployer.installer.run.DryRunExecutor;
import com.ultracloud.deployer.installer.run.SimulatedExecutor;
import com.ultracloud.deployer.installer.run.SimulatedExecutor.Recorded;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;
import com.ultracloud.deployer.protocol.agent.DesiredSystem.Artifact;
import com.ultracloud.deployer.protocol.agent.DesiredSystem.Directive;
import com.ultracloud.deployer.protocol.agent.DirectiveReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static com.ultracloud.deployer.installer.agent.NodeRoot.OLD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directives (docs/agent.md "Directives"): a real fake deployer serving the directive, the installer's kernel and
 * initrd and taking the directive reports; the simulated executor recording the exact kexec commands.
 */
class AgentDirectiveTest {

    static final String SECRET = "s3cr3t-join-4f9a";
    static final List<String> COMMAND_LINE = List.of("init=/nix/store/e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5-installer/init",
            "ultracloud.deployer=https://deployer.lab:8443", "ultracloud.join=" + SECRET, "console=ttyS0,115200");
    static final byte[] KERNEL = "a bzImage, as far as this test is concerned".getBytes(StandardCharsets.UTF_8);
    static final byte[] INITRD = "an initrd with the installer".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;
    FakeDeployer deployer;
    NodeRoot node;
    Path stateDir;
    Path kernelFile;
    Path initrdFile;
    StringWriter console = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        deployer = FakeDeployer.http();
        node = new NodeRoot(Files.createDirectories(tmp.resolve("root")), OLD);
        stateDir = tmp.resolve("state");
        kernelFile = stateDir.resolve("kexec/kernel");
        initrdFile = stateDir.resolve("kexec/initrd");
    }

    @AfterEach
    void stop() {
        deployer.close();
    }

    @Test
    void aRescueDownloadsAndChecksTheInstallerLoadsItAcknowledgesThenKexecsAndTheLoopEnds() throws Exception {
        deployer.desire(DesiredSystem.of(rescue("rescue-1", deployer.serve("bzImage", KERNEL), deployer.serve("initrd", INITRD))));
        ReportsAtKexec executor = new ReportsAtKexec(SimulatedExecutor.succeeding());

        assertThat(agent(executor, false).run()).as("KEXEC ends the loop, as a reboot does").isEqualTo(Outcome.KEXEC);

        assertThat(deployer.downloads()).extracting(FakeDeployer.Download::path).containsExactly("/images/bzImage", "/images/initrd");
        assertThat(kernelFile).hasBinaryContent(KERNEL);
        assertThat(initrdFile).hasBinaryContent(INITRD);
        assertThat(executor.simulated.recorded()).containsExactly(
                new Recorded("kexec-load", List.of("kexec", "-l", kernelFile.toString(), "--initrd=" + initrdFile,
                        "--command-line=" + String.join(" ", COMMAND_LINE))),
                new Recorded("kexec", List.of("systemctl", "kexec")));
        assertThat(deployer.directiveReports()).extracting(DirectiveReport::id, DirectiveReport::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("rescue-1", "acknowledged"));
        assertThat(executor.reportsAtKexec).as("acknowledged before systemctl kexec: the agent's last call")
                .extracting(DirectiveReport::result).containsExactly("acknowledged");
        assertThat(deployer.reports()).as("no activation report").isEmpty();
        assertThat(new ObjectMapper().readTree(stateDir.resolve(AgentState.LAST_DIRECTIVE).toFile()))
                .isEqualTo(new ObjectMapper().readTree("{\"id\":\"rescue-1\",\"result\":\"acknowledged\"}"));
        assertThat(console.toString()).contains("directive rescue rescue-1: booting the installer by kexec", "4 kernel parameters",
                "SHA-256 " + deployer.serve("bzImage", KERNEL).sha256() + " verified").doesNotContain(SECRET);
    }

    @Test
    void aKernelWhoseChecksumDiffersIsReportedFailedDeletedAndNothingIsLoaded() throws Exception {
        Artifact served = deployer.serve("bzImage", KERNEL);
        String promised = "0".repeat(64);
        deployer.desire(DesiredSystem.of(rescue("rescue-2", new Artifact(served.url(), promised), deployer.serve("initrd", INITRD))));
        SimulatedExecutor executor = SimulatedExecutor.succeeding();

        assertThat(agent(executor, true).run()).isEqualTo(Outcome.FAILED);

        assertThat(executor.recorded()).as("no kexec command").isEmpty();
        assertThat(kernelFile).doesNotExist();
        assertThat(deployer.directiveReports()).containsExactly(new DirectiveReport("rescue-2", "failed", "download of "
                + served.url() + ": SHA-256 mismatch, expected " + promised + ", got " + served.sha256() + "; the file was deleted"));
        assertThat(new AgentState(stateDir, false).lastDirective()).contains(new AgentState.HandledDirective("rescue-2", "failed"));
    }

    @Test
    void aDirectiveTheDeployerHasNoImageForIsReportedFailedWithItsProblemAndNothingIsDownloaded() throws Exception {
        String problem = "no installer netboot image is configured (deployer.installer.netboot)";
        deployer.desire(DesiredSystem.of(Directive.without(Directive.REPROVISION, "reprovision-3", problem)));
        SimulatedExecutor executor = SimulatedExecutor.succeeding();

        assertThat(agent(executor, true).run()).isEqualTo(Outcome.FAILED);

        assertThat(deployer.directiveReports()).containsExactly(new DirectiveReport("reprovision-3", "failed", problem));
        assertThat(deployer.downloads()).isEmpty();
        assertThat(executor.recorded()).isEmpty();
    }

    @Test
    void aKindThisAgentDoesNotKnowIsReportedFailed() throws Exception {
        deployer.desire(DesiredSystem.of(new Directive("firmware-update", "fw-4", deployer.serve("bzImage", KERNEL),
                deployer.serve("initrd", INITRD), COMMAND_LINE, null)));
        SimulatedExecutor executor = SimulatedExecutor.succeeding();

        assertThat(agent(executor, true).run()).isEqualTo(Outcome.FAILED);

        assertThat(deployer.directiveReports()).containsExactly(new DirectiveReport("fw-4", "failed", "unknown directive kind firmware-update"));
        assertThat(deployer.downloads()).isEmpty();
        assertThat(executor.recorded()).isEmpty();
    }

    @Test
    void theSameDirectiveIsActedOnOnceAlsoByARestartedAgent() throws Exception {
        deployer.desire(DesiredSystem.of(rescue("rescue-5", deployer.serve("bzImage", KERNEL), deployer.serve("initrd", INITRD))));
        assertThat(agent(SimulatedExecutor.succeeding(), true).run()).isEqualTo(Outcome.KEXEC);

        SimulatedExecutor again = SimulatedExecutor.succeeding();
        assertThat(agent(again, true).run()).isEqualTo(Outcome.ALREADY_HANDLED);

        assertThat(again.recorded()).isEmpty();
        assertThat(deployer.downloads()).hasSize(2);
        assertThat(deployer.directiveReports()).hasSize(1);
        assertThat(console.toString()).contains("directive rescue rescue-5 was acted on already (acknowledged)");
    }

    @Test
    void aFailingKexecLoadIsReportedWithItsOutputAndNothingIsBooted() throws Exception {
        deployer.desire(DesiredSystem.of(rescue("rescue-6", deployer.serve("bzImage", KERNEL), deployer.serve("initrd", INITRD))));
        SimulatedExecutor executor = SimulatedExecutor.succeeding().answer("kexec-load",
                new CommandResult(255, List.of("Cannot determine the file type of " + kernelFile)));

        assertThat(agent(executor, true).run()).isEqualTo(Outcome.FAILED);

        assertThat(executor.recorded()).extracting(Recorded::step).containsExactly("kexec-load");
        assertThat(deployer.directiveReports()).containsExactly(new DirectiveReport("rescue-6", "failed",
                "kexec -l exited 255: Cannot determine the file type of " + kernelFile));
    }

    @Test
    void anAcknowledgementTheDeployerRefusesUnloadsTheInstallerInsteadOfBootingIt() throws Exception {
        deployer.directiveStatus = 409; // the operator ended the rescue meanwhile
        deployer.desire(DesiredSystem.of(rescue("rescue-7", deployer.serve("bzImage", KERNEL), deployer.serve("initrd", INITRD))));
        SimulatedExecutor executor = SimulatedExecutor.succeeding();

        assertThat(agent(executor, true).run()).isEqualTo(Outcome.FAILED);

        assertThat(executor.recorded()).extracting(Recorded::command).containsExactly(
                List.of("kexec", "-l", kernelFile.toString(), "--initrd=" + initrdFile, "--command-line=" + String.join(" ", COMMAND_LINE)),
                List.of("kexec", "-u"));
        assertThat(deployer.requests()).filteredOn(r -> r.method().equals("POST")).extracting(FakeDeployer.Request::status)
                .as("refused once, not retried").containsExactly(409);
        assertThat(console.toString()).contains("directive rescue-7 is not the open directive of machine-1",
                "the installer was unloaded and the node stays as it is");
    }

    @Test
    void aDryRunPrintsTheKexecWithoutTheJoinSecretAndDownloadsAndReportsNothing() throws Exception {
        deployer.desire(DesiredSystem.of(rescue("rescue-8", deployer.serve("bzImage", KERNEL), deployer.serve("initrd", INITRD))));
        PrintWriter out = new PrintWriter(console, true);
        Agent agent = new Agent(new AgentClient(deployer.url(), null, Duration.ofSeconds(5)), new DryRunExecutor(out),
                new SystemProfile(node.root), new AgentState(stateDir, true), new ManualClock(Instant.EPOCH), settings(true), out);

        assertThat(agent.run()).isEqualTo(Outcome.KEXEC);

        assertThat(console.toString()).contains(
                "[dry-run] would download " + deployer.url() + "/images/bzImage to " + kernelFile,
                "[dry-run] kexec-load: kexec -l " + kernelFile + " --initrd=" + initrdFile + " '--command-line=(redacted, 4 parameters)'",
                "[dry-run] would report directive rescue-8 acknowledged",
                "[dry-run] kexec: systemctl kexec").doesNotContain(SECRET);
        assertThat(deployer.downloads()).isEmpty();
        assertThat(deployer.directiveReports()).isEmpty();
        assertThat(stateDir).doesNotExist();
    }

    @Test
    void overMutualTlsTheImagesAreDownloadedWithTheNodeCertificate() throws Exception {
        TestPki pki = TestPki.create(Files.createDirectories(tmp.resolve("pki")));
        Path credentials = pki.writeNodeCredential(tmp.resolve("tls"));
        try (FakeDeployer https = FakeDeployer.https(pki.serverContext())) {
            https.desire(DesiredSystem.of(rescue("rescue-9", https.serve("bzImage", KERNEL), https.serve("initrd", INITRD))));
            Agent agent = new Agent(new AgentClient(https.url(), NodeCredentials.load(credentials), Duration.ofSeconds(5)),
                    SimulatedExecutor.succeeding(), new SystemProfile(node.root), new AgentState(stateDir, false),
                    new ManualClock(Instant.EPOCH), settings(true), new PrintWriter(console, true));

            assertThat(agent.run()).isEqualTo(Outcome.KEXEC);

            assertThat(https.downloads()).hasSize(2).allSatisfy(d ->
                    assertThat(d.clientCertificate()).isEqualTo("CN=machine-1,O=ultracloud node"));
            assertThat(kernelFile).hasBinaryContent(KERNEL);
        }
    }

    private static Directive rescue(String id, Artifact kernel, Artifact initrd) {
        return new Directive(Directive.RESCUE, id, kernel, initrd, COMMAND_LINE, null);
    }

    private Agent agent(CommandExecutor executor, boolean once) {
        return new Agent(new AgentClient(deployer.url(), null, Duration.ofSeconds(5)), executor, new SystemProfile(node.root),
                new AgentState(stateDir, false), new ManualClock(Instant.EPOCH), settings(once), new PrintWriter(console, true));
    }

    private static Agent.Settings settings(boolean once) {
        return new Agent.Settings(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5),
                new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)), once);
    }

    /** The simulated executor, noting which directive reports the deployer had when {@code systemctl kexec} ran. */
    private final class ReportsAtKexec implements CommandExecutor {
        final SimulatedExecutor simulated;
        final List<DirectiveReport> reportsAtKexec = new ArrayList<>();

        ReportsAtKexec(SimulatedExecutor simulated) {
            this.simulated = simulated;
        }

        @Override
        public CommandResult run(String step, List<String> command) {
            if (step.equals("kexec")) {
                reportsAtKexec.addAll(deployer.directiveReports());
            }
            return simulated.run(step, command);
        }

        @Override
        public void writeFile(Path file, byte[] content, String permissions) throws IOException {
            simulated.writeFile(file, content, permissions);
        }
    }
}
