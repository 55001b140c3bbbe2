package com.ultracloud.deployer.protocol.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The agent API's JSON (DESIGN §8.1): field names, defaults, and misspelt values refused with a clear message. */
class AgentWireFormatTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStorePathTargetWithAnHttpCheckRoundTripsWithTheContractsFieldNames() throws Exception {
        DesiredSystem desired = new DesiredSystem("web-rollout-7", 12,
                DesiredSystem.SystemTarget.storePath("/nix/store/0a1b2c3d-nixos-system-cp-1-25.05"), "switch", 120, 60,
                DesiredSystem.HealthCheck.http("http://127.0.0.1:8080/healthz", 204), "automatic", null);
        String written = JSON.writeValueAsString(desired);
        assertThat(JSON.readTree(written)).isEqualTo(JSON.readTree("""
                {"deploymentId":"web-rollout-7","generation":12,
                 "system":{"storePath":"/nix/store/0a1b2c3d-nixos-system-cp-1-25.05"},
                 "activation":"switch","activationTimeoutSeconds":120,"confirmTimeoutSeconds":60,
                 "healthCheck":{"type":"http","url":"http://127.0.0.1:8080/healthz","expectStatus":204},
                 "rollback":"automatic"}"""));
        assertThat(JSON.readValue(written, DesiredSystem.class)).isEqualTo(desired);
    }

    @Test
    void aFlakeTargetWithACommandCheckAndADirectiveRoundTrips() throws Exception {
        String wire = """
                {"deploymentId":"d-1","generation":3,"system":{"flake":"git+https://git.lab/fleet?rev=abc","configuration":"cp-1"},
                 "activation":"boot","activationTimeoutSeconds":900,"confirmTimeoutSeconds":300,
                 "healthCheck":{"type":"command","command":["/run/current-system/sw/bin/curl","-f","localhost"]},
                 "rollback":"none","directive":{"kind":"rescue","id":"r-9","problem":"no image"},"someFutureField":true}""";
        DesiredSystem read = JSON.readValue(wire, DesiredSystem.class);
        assertThat(read.system().flakeInstallable())
                .isEqualTo("git+https://git.lab/fleet?rev=abc#nixosConfigurations.cp-1.config.system.build.toplevel");
        assertThat(read.healthCheck().argv()).containsExactly("/run/current-system/sw/bin/curl", "-f", "localhost");
        assertThat(read.rollsBackAutomatically()).isFalse();
        assertThat(read.directive()).isEqualTo(DesiredSystem.Directive.without("rescue", "r-9", "no image"));
        assertThat(JSON.readValue(JSON.writeValueAsString(read), DesiredSystem.class)).isEqualTo(read);
    }

    @Test
    void aDirectiveAnswerHasNoSystemAndItsCommandLineIsNeverPrinted() throws Exception {
        String kernel = "a".repeat(64);
        String initrd = "b".repeat(64);
        DesiredSystem read = JSON.readValue("""
                {"deploymentId":"directive","generation":0,
                 "directive":{"kind":"reprovision","id":"reprovision-2",
                   "kernel":{"url":"https://deployer:8443/images/installer/bzImage","sha256":"%s"},
                   "initrd":{"url":"https://deployer:8443/images/installer/initrd","sha256":"%s"},
                   "commandLine":["init=/nix/store/x-nixos-system/init","ultracloud.join=s3cret-join-value"]}}"""
                .formatted(kernel, initrd), DesiredSystem.class);
        assertThat(read.system()).isNull();
        assertThat(read).isEqualTo(DesiredSystem.of(read.directive()));
        assertThat(read.directive().joinedCommandLine())
                .isEqualTo("init=/nix/store/x-nixos-system/init ultracloud.join=s3cret-join-value");
        assertThat(read.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> JSON.readValue("""
                {"deploymentId":"directive","generation":0,"directive":{"kind":"rescue","id":"r-1"}}""", DesiredSystem.class))
                .hasMessageContaining("needs a kernel and an initrd, or a problem");
        assertThatThrownBy(() -> JSON.readValue("""
                {"deploymentId":"directive","generation":0,"directive":{"kind":"rescue","id":"r-1","problem":"p",
                 "kernel":{"url":"https://d/bzImage","sha256":"ABC"}}}""", DesiredSystem.class))
                .hasMessageContaining("64 lowercase hex digits");
        assertThat(JSON.readValue(JSON.writeValueAsString(new DirectiveReport("r-1", "failed", "kexec: no such file")),
                DirectiveReport.class)).isEqualTo(new DirectiveReport("r-1", "failed", "kexec: no such file"));
    }

    @Test
    void absentStrategyTimeoutsAndRollbackTakeTheDefaultsAndNoHealthCheckIsAllowed() throws Exception {
        DesiredSystem read = JSON.readValue("""
                {"deploymentId":"d","generation":1,"system":{"storePath":"/nix/store/x-nixos-system"}}""", DesiredSystem.class);
        assertThat(read.activation()).isEqualTo("switch");
        assertThat(read.activationTimeoutSeconds()).isEqualTo(600);
        assertThat(read.confirmTimeoutSeconds()).isEqualTo(300);
        assertThat(read.rollback()).isEqualTo("automatic");
        assertThat(read.healthCheck()).isNull();
        assertThat(read.directive()).isNull();
    }

    @Test
    void aSystemdCheckIsSystemctlIsActiveOverItsUnits() {
        assertThat(DesiredSystem.HealthCheck.systemd(List.of("sshd.service", "nginx.service")).argv())
                .containsExactly("systemctl", "is-active", "--quiet", "sshd.service", "nginx.service");
    }

    @Test
    void misspeltOrMissingValuesAreRefusedNamingTheField() {
        assertRefused("""
                {"deploymentId":"d","generation":1,"system":{"storePath":"/nix/store/x"},"activation":"reboot"}""",
                "activation must be one of boot, switch, not 'reboot'");
        assertRefused("""
                {"deploymentId":"d","generation":1,"system":{"storePath":"/nix/store/x"},"rollback":"manual"}""",
                "rollback must be one of automatic, none, not 'manual'");
        assertRefused("""
                {"deploymentId":"d","generation":1,"system":{"storePath":"/nix/store/x","flake":"f","configuration":"c"}}""",
                "either a storePath or a flake and a configuration, not both");
        assertRefused("""
                {"deploymentId":"d","generation":1,"system":{"flake":"f","configuration":"nixosConfigurations.cp-1"}}""",
                "bare configuration name");
        assertRefused("""
                {"deploymentId":"d","generation":1,"system":{"storePath":"/tmp/x"}}""", "must be a /nix/store path");
        assertRefused("""
                {"deploymentId":"d","generation":1,"system":{"storePath":"/nix/store/x"},"healthCheck":{"type":"tcp"}}""",
                "healthCheck.type must be one of command, http, systemd, not 'tcp'");
        assertRefused("""
                {"deploymentId":"d","generation":1,"system":{"storePath":"/nix/store/x"},"healthCheck":{"type":"http"}}""",
                "healthCheck.url is required");
        assertRefused("""
                {"deploymentId":"d","generation":1,"system":{"storePath":"/nix/store/x"},"confirmTimeoutSeconds":0}""",
                "confirmTimeoutSeconds must be a positive number of seconds, not 0");
        assertRefused("""
                {"generation":1,"system":{"storePath":"/nix/store/x"}}""", "deploymentId is required");
    }

    @Test
    void anActivationReportCarriesResultStepRunningSystemAndGeneration() throws Exception {
        ActivationReport report = new ActivationReport("d-1", ActivationReport.ROLLED_BACK, "/nix/store/old-nixos-system", 4L,
                "health check failed: GET http://127.0.0.1:8080/healthz answered 503, expected 200", "health-check");
        assertThat(JSON.readTree(JSON.writeValueAsString(report))).isEqualTo(JSON.readTree("""
                {"deploymentId":"d-1","result":"rolled-back","runningSystem":"/nix/store/old-nixos-system","generation":4,
                 "message":"health check failed: GET http://127.0.0.1:8080/healthz answered 503, expected 200","step":"health-check"}"""));
        assertThat(JSON.readValue(JSON.writeValueAsString(report), ActivationReport.class)).isEqualTo(report);
        assertThat(report.isFinal()).isTrue();
        assertThat(ActivationReport.started("d-1", 4, "activate", "/nix/store/old", null).isFinal()).isFalse();
        assertThatThrownBy(() -> new ActivationReport("d-1", "rolledback", null, 4L, null, null))
                .hasMessage("result must be one of failed, healthy, rolled-back, started, not 'rolledback'");
    }

    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> JSON.readValue(json, DesiredSystem.class))
                .isInstanceOf(ValueInstantiationException.class)
                .hasMessageContaining(message);
    }
}
