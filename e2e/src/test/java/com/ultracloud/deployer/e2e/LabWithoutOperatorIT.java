package com.ultracloud.deployer.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lab as its intent says, with no operator: discovery alone installs the three control-plane seeds
 * (per-node autoInstall) and both workers (their rule); the storage box, whose data disks the install
 * wipes, waits COMMISSIONED for an operator, and says why. One operator install brings it on.
 */
class LabWithoutOperatorIT {

    @TempDir
    Path tmp;

    @Test
    void discoveryAloneInstallsFiveAndTheStorageBoxWaitsForItsOperator() throws Exception {
        try (GatewayProcess gateway = GatewayProcess.start(GatewayProcess.freePort(), tmp.resolve("gateway"))) {
            gateway.importLabIntent();
            InstallerProcess.Result lab = InstallerProcess.run(tmp, "lab", "--deployer", gateway.url(),
                    "--join-secret-file", gateway.joinSecretFile().toString(),
                "--operator-token-file", gateway.adminTokenFile().toString(),
                    "--work-dir", tmp.resolve("lab").toString(), "--timeout", "240");

            assertThat(lab.exitCode()).as(lab.out() + lab.err()).isZero();
            assertThat(lab.out()).contains("6 machines, 5 INSTALLED, 1 waits for an operator")
                    .contains("storage-1: waits for an operator to request the install: rule storage-hdd does not "
                            + "install automatically (autoInstall = false)")
                    .doesNotContain("operator: requested");
            JsonNode storage = await().atMost(Duration.ofSeconds(30)).until(() -> gateway.machineByHostname("storage-1"),
                    m -> m != null);
            String id = storage.get("machineId").asText();
            JsonNode detail = gateway.get("/api/v1/machines/" + id + "?consistent=true");
            assertThat(detail.get("state").asText()).isEqualTo("COMMISSIONED");
            assertThat(detail.at("/enrollment/waitingFor").asText()).contains("rule storage-hdd does not install automatically");
            for (String host : new String[] {"cp-1", "cp-2", "cp-3", "worker-1", "worker-2"}) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(gateway.stateOfHost(host)).as(host).isEqualTo("INSTALLED"));
            }

            // one operator action: the install; the storage box's installer then installs it
            JsonNode requested = gateway.post("/api/v1/machines/" + id + "/install", Map.of());
            assertThat(requested.get("state").asText()).isEqualTo("INSTALL_PENDING");
            Path onlyStorage = Files.createDirectories(tmp.resolve("storage-only"));
            Files.copy(GatewayProcess.REPO.resolve("nix/examples/lab/hardware/storage-1.json"), onlyStorage.resolve("storage-1.json"));
            InstallerProcess.Result again = InstallerProcess.run(tmp, "lab", "--deployer", gateway.url(),
                    "--join-secret-file", gateway.joinSecretFile().toString(),
                "--operator-token-file", gateway.adminTokenFile().toString(), "--hardware", onlyStorage.toString(), "--work-dir", tmp.resolve("lab2").toString(), "--timeout", "240");
            assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
            assertThat(again.out()).contains("1 machines, 1 INSTALLED");
            assertThat(gateway.get("/api/v1/machines/" + id + "?consistent=true").get("state").asText()).isEqualTo("INSTALLED");
        }
    }
}
