package com.ultracloud.deployer.gateway.metrics;

import com.ultracloud.deployer.gateway.Hardware;
import com.ultracloud.deployer.gateway.RunningGateway;
import com.ultracloud.deployer.gateway.bootstrap.Installs;
import com.ultracloud.deployer.gateway.bootstrap.LabIntent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The domain metrics on {@code /actuator/prometheus} (issue 13): after one machine is installed through the API and
 * another discovered, the fleet by state, the transitions with their from and to, one install duration and one plan
 * wait, the rollout gauges and every processor's lag; every series the Grafana dashboard in docs/ queries exists; a
 * rebuild of the inventory counts no transition again.
 */
class DomainMetricsTest {

    @TempDir
    static Path dataDir;
    static RunningGateway gw;

    @BeforeAll
    static void start() {
        gw = LabIntent.start("--deployer.data-dir=" + dataDir);
        Installs.installFully(gw, Hardware.clone("server-nvme-sata-usb", 5_101), "worker", "general", "metrics-1");
        Installs.discover(gw, Hardware.clone("server-nvme-sata-usb", 5_102));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    static String scrape() {
        RunningGateway.Response r = gw.get("/actuator/prometheus");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.body();
    }

    /** The value of the sample {@code name{labels}}, or null when there is none. */
    static Double sample(String text, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
        while (m.find()) {
            if (Pattern.compile("(^|,)" + Pattern.quote(labels) + "(,|$)").matcher(m.group(1)).find()) {
                return Double.parseDouble(m.group(2));
            }
        }
        return null;
    }

    static String dashboard() throws IOException {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve("docs/grafana/ultracloud-deployer.json");
            if (Files.isRegularFile(file)) {
                return Files.readString(file);
            }
        }
        throw new IllegalStateException("docs/grafana/ultracloud-deployer.json not found");
    }

    /** The value of the unlabelled sample {@code name}. */
    static Double value(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    @Test
    void theFleetItsTransitionsInstallTimesRolloutsAndProcessorLagAreScraped() throws IOException {
        // the gauges read the counts at most every 5 s: wait for the read side and the cache
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String t = scrape();
            return Double.valueOf(1).equals(sample(t, "deployer_machines", "state=\"INSTALLED\""))
                    && Double.valueOf(1).equals(sample(t, "deployer_machines", "state=\"DISCOVERED\""));
        });
        String text = scrape();
        assertThat(sample(text, "deployer_machines", "state=\"FAILED\"")).isZero();
        assertThat(sample(text, "deployer_machine_transitions_total", "from=\"none\",to=\"DISCOVERED\"")).isEqualTo(2);
        assertThat(sample(text, "deployer_machine_transitions_total", "from=\"INSTALL_PENDING\",to=\"INSTALLING\"")).isEqualTo(1);
        assertThat(sample(text, "deployer_machine_transitions_total", "from=\"INSTALLING\",to=\"INSTALLED\"")).isEqualTo(1);
        assertThat(value(text, "deployer_install_duration_seconds_count")).isEqualTo(1);
        assertThat(value(text, "deployer_install_plan_wait_seconds_count")).isEqualTo(1);
        assertThat(text).contains("deployer_install_duration_seconds_bucket{le=");
        assertThat(sample(text, "deployer_rollouts", "state=\"IN_PROGRESS\"")).isZero();
        assertThat(sample(text, "deployer_rollout_machines", "phase=\"activating\"")).isZero();
        for (String processor : new String[]{"inventory", "install-plans", "rollout", "intent"}) {
            assertThat(sample(text, "deployer_processor_lag_events", "processor=\"" + processor + "\""))
                    .as(processor).isNotNull();
        }

        // every series the Grafana dashboard in docs/ queries is one the gateway exports
        Matcher names = Pattern.compile("deployer_[a-z_]+").matcher(dashboard());
        int queried = 0;
        while (names.find()) {
            assertThat(text).as("the dashboard's " + names.group()).containsPattern("(?m)^" + names.group() + "[{ ]");
            queried++;
        }
        assertThat(queried).isGreaterThan(8);

        // a rebuild folds every event again; what happened once is counted once
        assertThat(gw.post("/api/v1/admin/projections/inventory/replay", Map.of()).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (var p : gw.get("/api/v1/admin/projections").json()) {
                if (p.get("name").asText().equals("inventory")) {
                    return !p.get("replaying").asBoolean() && p.path("lag").asLong(-1) == 0;
                }
            }
            return false;
        });
        String after = scrape();
        assertThat(sample(after, "deployer_machine_transitions_total", "from=\"none\",to=\"DISCOVERED\"")).isEqualTo(2);
        assertThat(value(after, "deployer_install_duration_seconds_count")).isEqualTo(1);
    }
}
