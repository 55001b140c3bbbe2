package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.machine.api.rollout.HealthCheck;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import com.ultracloud.deployer.protocol.agent.DesiredSystem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The domain's target and health check as the agent's wire record (the mappings documented in docs/api.md). */
class DesiredSystemsTest {

    @Test
    void aFlakeAttributeBecomesTheWiresBareConfigurationName() {
        assertThat(DesiredSystems.system(TargetSystem.flake("github:x/fleet", "nixosConfigurations.cp-1")))
                .isEqualTo(DesiredSystem.SystemTarget.flake("github:x/fleet", "cp-1"));
        assertThat(DesiredSystems.system(TargetSystem.flake("github:x/fleet", "cp-1")))
                .isEqualTo(DesiredSystem.SystemTarget.flake("github:x/fleet", "cp-1"));
        assertThat(DesiredSystems.system(TargetSystem.storePath("/nix/store/abc-nixos-system")))
                .isEqualTo(DesiredSystem.SystemTarget.storePath("/nix/store/abc-nixos-system"));
    }

    @Test
    void anAttributeTheWireCannotSayIsRefusedNotGuessed() {
        assertThat(DesiredSystems.configurationOf("packages.x86_64-linux.default")).isEmpty();
        assertThat(DesiredSystems.configurationOf("nixosConfigurations.\"cp-1\"")).isEmpty();
        assertThat(DesiredSystems.configurationOf("nixosConfigurations.")).isEmpty();
        assertThat(DesiredSystems.configurationOf("nixosConfigurations.{hostname}")).contains("{hostname}");
        assertThatThrownBy(() -> DesiredSystems.system(TargetSystem.flake("github:x/fleet", "packages.x.default")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("packages.x.default");
    }

    @Test
    void everyHealthCheckTypeHasOneWireForm() {
        assertThat(DesiredSystems.healthCheck(HealthCheck.NONE)).isNull();
        assertThat(DesiredSystems.healthCheck(new HealthCheck("http", "http://127.0.0.1:8080/healthz", null, null, null)))
                .isEqualTo(DesiredSystem.HealthCheck.http("http://127.0.0.1:8080/healthz", 200));
        assertThat(DesiredSystems.healthCheck(new HealthCheck("systemd", null, null, null, List.of("sshd.service"))))
                .isEqualTo(DesiredSystem.HealthCheck.systemd(List.of("sshd.service")));
        assertThat(DesiredSystems.healthCheck(new HealthCheck("command", null, null, "curl -fs localhost:9100", null)).argv())
                .containsExactly("/bin/sh", "-c", "curl -fs localhost:9100");
    }
}
