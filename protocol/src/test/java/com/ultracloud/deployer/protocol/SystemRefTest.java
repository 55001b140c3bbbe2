package com.ultracloud.deployer.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** plan.system: the full attribute path for nix build, the bare configuration name for nixos-install. */
class SystemRefTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theConfigurationIsTheNameUnderNixosConfigurations() {
        assertThat(InstallPlan.SystemRef.configurationOf("nixosConfigurations.cp-1")).contains("cp-1");
        assertThat(InstallPlan.SystemRef.configurationOf("nixosConfigurations.1u-box_a'")).contains("1u-box_a'");
        assertThat(InstallPlan.SystemRef.of("git+https://git.lab/fleet", "nixosConfigurations.worker-2"))
                .isEqualTo(new InstallPlan.SystemRef("git+https://git.lab/fleet", "nixosConfigurations.worker-2", "worker-2"));
    }

    @Test
    void otherAttributesNameNoConfigurationThatNixosInstallCouldInstall() {
        assertThat(InstallPlan.SystemRef.configurationOf("nixosConfigurations.cp-1.config.system.build.toplevel")).isEmpty();
        assertThat(InstallPlan.SystemRef.configurationOf("packages.x86_64-linux.cp-1")).isEmpty();
        assertThat(InstallPlan.SystemRef.configurationOf("cp-1")).isEmpty();
        assertThat(InstallPlan.SystemRef.configurationOf("nixosConfigurations.")).isEmpty();
        assertThat(InstallPlan.SystemRef.configurationOf("nixosConfigurations.a#b")).isEmpty();
        assertThat(InstallPlan.SystemRef.configurationOf(null)).isEmpty();
        assertThat(InstallPlan.SystemRef.of("f", "packages.x86_64-linux.cp-1").configuration()).isNull();
    }

    @Test
    void theWireFormatAddsConfigurationAndStillReadsPlansWithoutIt() throws Exception {
        String written = JSON.writeValueAsString(new InstallPlan.SystemRef("git+https://git.lab/fleet", "nixosConfigurations.cp-1", "cp-1"));
        assertThat(JSON.readTree(written)).isEqualTo(JSON.readTree(
                "{\"flake\":\"git+https://git.lab/fleet\",\"attribute\":\"nixosConfigurations.cp-1\",\"configuration\":\"cp-1\"}"));

        InstallPlan.SystemRef old = JSON.readValue("{\"flake\":\"f\",\"attribute\":\"nixosConfigurations.cp-1\"}", InstallPlan.SystemRef.class);
        assertThat(old).isEqualTo(new InstallPlan.SystemRef("f", "nixosConfigurations.cp-1", null));
    }
}
