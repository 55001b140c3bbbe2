package com.ultracloud.deployer.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The installers start before the deployer: they retry with backoff and install once it is up. */
class GatewayDownIT {

    @TempDir
    Path tmp;

    @Test
    void installersWaitingForADeployerThatIsDownInstallOnceItIsUp() throws Exception {
        int port = GatewayProcess.freePort();
        String url = "http://127.0.0.1:" + port;
        // the installer image was built with the cluster's join secret before the deployer first started
        Path joinSecret = GatewayProcess.seedJoinSecret(tmp.resolve("gateway"));
        InstallerProcess lab = InstallerProcess.start(tmp, "lab", "--deployer", url, "--operator-install",
                "--join-secret-file", joinSecret.toString(), "--work-dir", tmp.resolve("lab").toString(), "--timeout", "300");
        Thread.sleep(3000);
        assertThat(lab.isAlive()).as("still waiting for the deployer").isTrue();

        // lab mode: the lab acts as the operator, and before the deployer's first start no operator token
        // exists to give it (the other e2e tests run with security on)
        try (GatewayProcess gateway = GatewayProcess.start(port, tmp.resolve("gateway"), "--deployer.security.enabled=false")) {
            gateway.importLabIntent();
            InstallerProcess.Result result = lab.await(300);

            assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
            assertThat(result.out()).contains("cannot reach the deployer at " + url).contains("retrying in")
                    .contains("6 machines, 6 INSTALLED");
            // the machine list is a read model: it follows the events shortly after
            for (String host : new String[] {"cp-1", "cp-2", "cp-3", "storage-1", "worker-1", "worker-2"}) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(gateway.stateOfHost(host))
                        .as(host).isEqualTo("INSTALLED"));
            }
        }
    }
}
