package com.ultracloud.deployer.installer.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.installer.run.Backoff;
import com.ultracloud.deployer.installer.run.CommandExecutor.CommandResult;
import com.ultracloud.deployer.installer.run.SimulatedExecutor;
import com.ultracloud.deployer.installer.run.SimulatedExecutor.Recorded;
import com.ultracloud.deployer.protocol.agent.ActivationReport;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;
import com.ultracloud.deployer.protocol.agent.DesiredSystem.HealthCheck;
import com.ultracloud.deployer.protocol.agent.DesiredSystem.SystemTarget;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static com.ultracloud.deployer.installer.agent.NodeRoot.NEW;
import static com.ultracloud.deployer.installer.agent.NodeRoot.OLD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The activation sequences of the issue, end to end through the agent with {@code once}: a real fake deployer
 * (desired system, activation reports), a real HTTP health endpoint, the simulated executor recording the exact
 * commands, and a manual clock so confirm windows pass without sleeping.
 */
class AgentActivationTest {

    static final String PROFILE = "/nix/var/nix/profiles/system";
    static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @TempDir
    Path tmp;
    FakeDeployer deployer;
    HealthEndpoint health;
    NodeRoot node;
    Path stateDir;
    StringWriter console = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        deployer = FakeDeployer.http();
        health = new HealthEndpoint(200);
        node = new NodeRoot(Files.createDirectories(tmp.resolve("root")), OLD);
        stateDir = tmp.resolve("state");
    }

    @AfterEach
    void stop() {
        deployer.close();
        health.close();
    }

    @Test
    void aHealthySwitchIsTestedThenCheckedThenMadeTheBootDefault() throws Exception {
        deployer.desire(desired(DesiredSystem.SWITCH, HealthCheck.http(health.url(), 200), "automatic"));
        SimulatedExecutor executor = SimulatedExecutor.succeeding();

        assertThat(agent(executor, new ManualClock(T0)).run()).isEqualTo(Outcome.HEALTHY);

        assertThat(executor.recorded()).containsExactly(
                new Recorded("set-profile", List.of("nix-env", "-p", PROFILE, "--set", NEW)),
                new Recorded("activate", List.of(NEW + "/bin/switch-to-configuration", "test")),
                new Recorded("boot-default", List.of(NEW + "/bin/switch-to-configuration", "boot")));
        assertThat(deployer.reports()).containsExactly(
                started("set-profile", OLD), started("activate", OLD), started("health-check", NEW), started("boot-default", NEW),
                report("healthy", NEW, "boot-default", "GET " + health.url() + " answered 200"));
        assertThat(health.probes).hasValue(1);
        assertThat(deployer.requests().get(0).query()).isEqualTo("wait=30s");
        assertThat(deployer.requests().get(0).ifNoneMatch()).isNull();
        assertThat(json(stateDir.resolve("last-activation.json")))
                .isEqualTo(new ObjectMapper().readTree("{\"deploymentId\":\"web-7\",\"generation\":3,\"result\":\"healthy\"}"));
    }

    @Test
    void aFailingHealthCheckIsProbedUntilTheConfirmDeadlineThenThePreviousGenerationIsSwitchedBackTo() throws Exception {
        health.status.set(503);
        deployer.desire(desired(DesiredSystem.SWITCH, HealthCheck.http(health.url(), 200), "automatic"));
        SimulatedExecutor executor = SimulatedExecutor.succeeding();

        assertThat(agent(executor, new ManualClock(T0)).run()).isEqualTo(Outcome.ROLLED_BACK);

        assertThat(executor.recorded()).containsExactly(
                new Recorded("set-profile", List.of("nix-env", "-p", PROFILE, "--set", NEW)),
                new Recorded("activate", List.of(NEW + "/bin/switch-to-configuration", "test")),
                new Recorded("rollback", List.of("nix-env", "-p", PROFILE, "--set", OLD)),
                new Recorded("rollback", List.of(OLD + "/bin/switch-to-configuration", "switch")));
        // confirm timeout 60 s, a probe every 5 s from 0 s: probes at 0, 5, ..., 55 s
        assertThat(health.probes).hasValue(12);
        assertThat(deployer.reports()).containsExactly(
                started("set-profile", OLD), started("activate", OLD), started("health-check", NEW),
                report("rolled-back", OLD, "health-check", "health check failed: GET " + health.url()
                        + " answered 503, expected 200 (12 probes until the confirm deadline); rolled back to " + OLD));
    }

    @Test
    void anActivationThatRunsPastItsTimeoutIsRolledBack() throws Exception {
        deployer.desire(desired(DesiredSystem.SWITCH, HealthCheck.http(health.url(), 200), "automatic"));
        SimulatedExecutor executor = SimulatedExecutor.succeeding().hang("activate");

        assertThat(agent(executor, new ManualClock(T0)).run()).isEqualTo(Outcome.ROLLED_BACK);

        assertThat(executor.recorded()).containsExactly(
                new Recorded("set-profile", List.of("nix-env", "-p", PROFILE, "--set", NEW)),
                new Recorded("activate", List.of(NEW + "/bin/switch-to-configuration", "test")),
                new Recorded("rollback", List.of("nix-env", "-p", PROFILE, "--set", OLD)),
                new Recorded("rollback", List.of(OLD + "/bin/switch-to-configuration", "switch")));
        assertThat(health.probes).as("a system that did not activate is not health-checked").hasValue(0);
        assertThat(deployer.reports()).containsExactly(
                started("set-profile", OLD), started("activate", OLD),
                report("rolled-back", OLD, "activate", "switch-to-configuration test ran past the activation timeout; rolled back to " + OLD));
    }

    @Test
    void withRollbackNoneAFailedHealthCheckLeavesTheNewSystemAndReportsFailed() throws Exception {
        health.status.set(500);
        deployer.desire(desired(DesiredSystem.SWITCH, HealthCheck.http(health.url(), 200), "none"));
        SimulatedExecutor executor = SimulatedExecutor.succeeding();

        assertThat(agent(executor, new ManualClock(T0)).run()).isEqualTo(Outcome.FAILED);

        assertThat(executor.recorded()).extracting(Recorded::step).containsExactly("set-profile", "activate");
        assertThat(deployer.reports().get(deployer.reports().size() - 1)).isEqualTo(report("failed", NEW, "health-check",
                "health check failed: GET " + health.url() + " answered 500, expected 200 (12 probes until the confirm deadline)"
                        + "; rollback is none: left as it is"));
    }

    @Test
    void aFlakeTargetIsBuiltFirstAndACommandCheckRunsThroughTheExecutor() throws Exception {
        String built = "/nix/store/c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3-nixos-system-cp-1-25.05.3";
        deployer.desire(new DesiredSystem("web-7", 3, SystemTarget.flake("git+https://git.lab/fleet?rev=abc", "cp-1"),
                "switch", 120, 60, HealthCheck.command(List.of("curl", "-fsS", "http://127.0.0.1/ready")), "automatic", null));
        SimulatedExecutor executor = SimulatedExecutor.succeeding()
                .answer("build", new CommandResult(0, List.of("warning: Git tree is dirty", built)))
                .answer("health-check", new CommandResult(7, List.of("curl: (7) Failed to connect")), new CommandResult(0, List.of()));

        assertThat(agent(executor, new ManualClock(T0)).run()).isEqualTo(Outcome.HEALTHY);

        List<String> check = List.of("curl", "-fsS", "http://127.0.0.1/ready");
        assertThat(executor.recorded()).containsExactly(
                new Recorded("build", List.of("nix", "build", "--no-link", "--print-out-paths",
                        "git+https://git.lab/fleet?rev=abc#nixosConfigurations.cp-1.config.system.build.toplevel")),
                new Recorded("set-profile", List.of("nix-env", "-p", PROFILE, "--set", built)),
                new Recorded("activate", List.of(built + "/bin/switch-to-configuration", "test")),
                new Recorded("health-check", check),
                new Recorded("health-check", check),
                new Recorded("boot-default", List.of(built + "/bin/switch-to-configuration", "boot")));
        assertThat(deployer.reports()).last().isEqualTo(report("healthy", built, "boot-default", "curl -fsS http://127.0.0.1/ready exited 0"));
    }

    @Test
    void aBootActivationStagesTheConfirmAndANewAgentConfirmsItAfterTheReboot() throws Exception {
        deployer.desire(desired(DesiredSystem.BOOT, HealthCheck.http(health.url(), 200), "automatic"));
        SimulatedExecutor beforeReboot = SimulatedExecutor.succeeding();

        assertThat(agent(beforeReboot, new ManualClock(T0)).run()).isEqualTo(Outcome.REBOOTING);

        assertThat(beforeReboot.recorded()).containsExactly(
                new Recorded("set-profile", List.of("nix-env", "-p", PROFILE, "--set", NEW)),
                new Recorded("activate", List.of(NEW + "/bin/switch-to-configuration", "boot")),
                new Recorded("reboot", List.of("systemctl", "reboot")));
        Path stateFile = stateDir.resolve("state.json");
        assertThat(Files.getPosixFilePermissions(stateFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        JsonNode pending = json(stateFile);
        assertThat(pending.get("deploymentId").asText()).isEqualTo("web-7");
        assertThat(pending.get("generation").asLong()).isEqualTo(3);
        assertThat(pending.get("newSystem").asText()).isEqualTo(NEW);
        assertThat(pending.get("previousSystem").asText()).isEqualTo(OLD);
        // activation timeout (120 s, covering the reboot) + confirm timeout (60 s)
        assertThat(pending.get("deadline").asText()).isEqualTo("2026-12-02T10:03:00Z");
        assertThat(pending.get("healthCheck").get("url").asText()).isEqualTo(health.url());
        assertThat(deployer.reports()).containsExactly(started("set-profile", OLD), started("activate", OLD), started("reboot", OLD));

        node.bootInto(NEW);
        SimulatedExecutor afterReboot = SimulatedExecutor.succeeding();
        assertThat(agent(afterReboot, new ManualClock(T0.plusSeconds(75))).run()).isEqualTo(Outcome.HEALTHY);

        assertThat(afterReboot.recorded()).as("the new generation is already the boot default").isEmpty();
        assertThat(stateFile).doesNotExist();
        assertThat(deployer.reports()).containsExactly(started("set-profile", OLD), started("activate", OLD), started("reboot", OLD),
                started("health-check", NEW),
                report("healthy", NEW, "confirm", "confirmed after the reboot: GET " + health.url() + " answered 200"));
    }

    @Test
    void aRebootedGenerationThatNeverConfirmsIsReplacedByThePreviousOneAndTheNodeRebootsIntoIt() throws Exception {
        deployer.desire(desired(DesiredSystem.BOOT, HealthCheck.http(health.url(), 200), "automatic"));
        assertThat(agent(SimulatedExecutor.succeeding(), new ManualClock(T0)).run()).isEqualTo(Outcome.REBOOTING);

        node.bootInto(NEW);
        health.status.set(503);
        SimulatedExecutor afterReboot = SimulatedExecutor.succeeding();
        assertThat(agent(afterReboot, new ManualClock(T0.plusSeconds(60))).run()).isEqualTo(Outcome.REBOOTING);

        assertThat(afterReboot.recorded()).containsExactly(
                new Recorded("rollback", List.of("nix-env", "-p", PROFILE, "--set", OLD)),
                new Recorded("rollback", List.of(OLD + "/bin/switch-to-configuration", "boot")),
                new Recorded("reboot", List.of("systemctl", "reboot")));
        // from 60 s to the deadline at 180 s, every 5 s: 60, 65, ..., 175 s
        assertThat(health.probes).hasValue(24);
        assertThat(stateDir.resolve("state.json")).doesNotExist();
        assertThat(deployer.reports()).last().isEqualTo(report("rolled-back", OLD, "confirm",
                "not confirmed by 2026-12-02T10:03:00Z: GET " + health.url() + " answered 503, expected 200 (24 probes until the confirm deadline)"
                        + "; " + OLD + " is the boot default again; rebooting into it"));

        // the node boots the previous generation: nothing is pending, and the same desired system is not tried again
        node.bootInto(OLD);
        SimulatedExecutor afterSecondReboot = SimulatedExecutor.succeeding();
        assertThat(agent(afterSecondReboot, new ManualClock(T0.plusSeconds(400))).run()).isEqualTo(Outcome.ALREADY_HANDLED);
        assertThat(afterSecondReboot.recorded()).isEmpty();
    }

    @Test
    void aNodeThatBootsSomethingElseThanTheStagedGenerationRestoresThePreviousOneWithoutWaiting() throws Exception {
        deployer.desire(desired(DesiredSystem.BOOT, HealthCheck.http(health.url(), 200), "automatic"));
        assertThat(agent(SimulatedExecutor.succeeding(), new ManualClock(T0)).run()).isEqualTo(Outcome.REBOOTING);

        // the boot loader fell back to the old generation (the new kernel did not come up)
        SimulatedExecutor afterReboot = SimulatedExecutor.succeeding();
        assertThat(agent(afterReboot, new ManualClock(T0.plusSeconds(90))).run()).isEqualTo(Outcome.ROLLED_BACK);

        assertThat(afterReboot.recorded()).containsExactly(
                new Recorded("rollback", List.of("nix-env", "-p", PROFILE, "--set", OLD)),
                new Recorded("rollback", List.of(OLD + "/bin/switch-to-configuration", "boot")));
        assertThat(health.probes).hasValue(0);
        assertThat(deployer.reports()).last().isEqualTo(report("rolled-back", OLD, "confirm",
                "after the reboot the node runs " + OLD + ", not " + NEW + "; " + OLD + " runs and is the boot default again"));
    }

    private Agent agent(SimulatedExecutor executor, ManualClock clock) {
        return new Agent(new AgentClient(deployer.url(), null, Duration.ofSeconds(5)), executor, new SystemProfile(node.root),
                new AgentState(stateDir, false), clock,
                new Agent.Settings(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(5),
                        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2)), true),
                new PrintWriter(console, true));
    }

    static DesiredSystem desired(String activation, HealthCheck check, String rollback) {
        return new DesiredSystem("web-7", 3, SystemTarget.storePath(NEW), activation, 120, 60, check, rollback, null);
    }

    static ActivationReport started(String step, String running) {
        return ActivationReport.started("web-7", 3, step, running, null);
    }

    static ActivationReport report(String result, String running, String step, String message) {
        return new ActivationReport("web-7", result, running, 3L, message, step);
    }

    static JsonNode json(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }
}
