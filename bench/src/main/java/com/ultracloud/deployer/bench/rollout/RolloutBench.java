package com.ultracloud.deployer.bench.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.bench.support.Database;
import com.ultracloud.deployer.bench.support.Gateway;
import com.ultracloud.deployer.bench.support.Host;
import com.ultracloud.deployer.bench.support.Options;
import com.ultracloud.deployer.bench.support.Results;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 10's benchmark: {@code --machines} lab machines ({@code installer lab --agents}, {@code --concurrency} in
 * flight) install and go ACTIVE through their agents' first boot, then one rollout over all of them in batches of
 * {@code --batch} (max unavailable the same, no drain, a systemd health check the lab's nodes pass). Prints the wall
 * time of each phase — install (discover → INSTALLED, the lab's own figure), first boot (until every machine is
 * listed ACTIVE), rollout (created → SUCCEEDED) and each batch's end — against the gateway on PostgreSQL, lab mode,
 * poll-after 1 s (as bench/lab.sh).
 * No same-run baseline: nothing else here rolls NixOS systems out; the figures are the project's own.
 */
public final class RolloutBench {

    static final Pattern INSTALLED = Pattern.compile("(\\d+) machines, (\\d+) INSTALLED.* in ([0-9.]+) s");
    static final String NEW_SYSTEM = "/nix/store/0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f-nixos-system-bench-2";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        int machines = o.integer("machines", 200);
        int concurrency = o.integer("concurrency", 50);
        int batch = o.integer("batch", 50);
        String bench = "rollout-" + machines + "x" + batch;
        Host.describe(bench, "machines", String.valueOf(machines), "install_concurrency", String.valueOf(concurrency),
                "batch", String.valueOf(batch), "security", "lab-mode");
        int httpsPort = Gateway.freePort();
        Path work = Files.createTempDirectory("ucbench-rollout");
        try (Database db = Database.create("rollout"); Gateway gateway = Gateway.start(db, httpsPort,
                // as bench/lab.sh: installers asked to come back after 1 s (the default 15 s would be most of the install)
                "--deployer.bootstrap.poll-after-seconds=1")) {
            check(gateway.put("/api/v1/cluster/intent", Path.of("nix/examples/lab/expected-cluster-state.json")), "intent import");
            Instant start = Instant.now();
            Process lab = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    "installer-client/target/ultracloud-installer.jar", "lab", "--deployer", gateway.uri("/").toString(),
                    "--operator-install", "--join-secret-file", gateway.joinSecretFile().toString(),
                    "--machines", String.valueOf(machines), "--concurrency", String.valueOf(concurrency),
                    "--agents", "--agent-url", "https://localhost:" + httpsPort, "--timeout", "3600", "--quiet",
                    "--work-dir", work.resolve("lab").toString())
                    .redirectErrorStream(true).start();
            List<String> labOut = new ArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(lab.getInputStream()))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        synchronized (labOut) {
                            labOut.add(line);
                        }
                    }
                } catch (java.io.IOException e) {
                    // the lab ended
                }
            });
            reader.start();
            try {
                awaitCount(gateway, "/api/v1/machines?state=ACTIVE&size=1", machines, Duration.ofMinutes(30), lab, labOut);
                double active = seconds(start);
                double installed = installWall(labOut);
                System.out.printf("  install (discover -> INSTALLED, %d in flight): %.1f s; every machine ACTIVE after %.1f s%n",
                        concurrency, installed, active);

                String spec = """
                        {"id": "bench-rollout", "selector": {"pools": ["control-plane", "general", "storage"]},
                         "system": {"storePath": "%s"}, "batchSize": %d, "maxUnavailable": %d,
                         "activation": {"strategy": "switch", "confirmTimeoutSeconds": 120,
                                        "healthCheck": {"type": "systemd", "units": ["sshd.service"]}},
                         "failureThreshold": 1}""".formatted(NEW_SYSTEM, batch, batch);
                Instant created = Instant.now();
                check(gateway.post("/api/v1/host-deployments", spec), "create the deployment");
                System.out.println("  rollout created at " + created + " (bench/profile.py --from takes this time)");
                JsonNode deployment = awaitDeployment(gateway, Duration.ofMinutes(30), lab, labOut);
                double rollout = Duration.between(created, Instant.now()).toMillis() / 1000.0;
                int rolledOut = deployment.path("counts").path("rolledOut").asInt();
                System.out.printf("  rollout over %d machines, batch %d: %s in %.1f s (%d rolled out, %d failed, %d skipped)%n",
                        deployment.path("counts").path("targets").asInt(), batch, deployment.path("state").asText(), rollout,
                        rolledOut, deployment.path("counts").path("failed").asInt(), deployment.path("counts").path("skipped").asInt());

                String[] extra = {"machines", String.valueOf(machines), "batch", String.valueOf(batch),
                        "state", deployment.path("state").asText(), "rolled_out", String.valueOf(rolledOut)};
                Results.figure(bench, "install", installed, "s", extra);
                Results.figure(bench, "all-active", active, "s", extra);
                Results.figure(bench, "first-boot", active - installed, "s", extra);
                Results.figure(bench, "rollout", rollout, "s", extra);
                List<Instant> ends = new ArrayList<>();
                deployment.path("machines").forEach(m -> {
                    if ("rolled-out".equals(m.path("phase").asText())) {
                        ends.add(Instant.parse(m.path("updatedAt").asText()));
                    }
                });
                ends.sort(null);
                for (int b = 0; b * batch < ends.size(); b++) {
                    Instant end = ends.get(Math.min(ends.size(), (b + 1) * batch) - 1);
                    Results.figure(bench, "batch-" + (b + 1) + "-done", Math.max(0, Duration.between(created, end).toMillis() / 1000.0),
                            "s", extra);
                }
            } finally {
                lab.destroy(); // SIGTERM: the lab stops its agents and prints the rollout summary
                lab.waitFor(60, TimeUnit.SECONDS);
                lab.destroyForcibly();
                reader.join(10_000);
                synchronized (labOut) {
                    int from = Math.max(0, labOut.size() - 4);
                    labOut.subList(from, labOut.size()).forEach(l -> System.out.println("  | " + l));
                }
            }
        }
    }

    private static double installWall(List<String> labOut) {
        synchronized (labOut) {
            for (String line : labOut) {
                Matcher m = INSTALLED.matcher(line);
                if (m.find()) {
                    return Double.parseDouble(m.group(3));
                }
            }
        }
        throw new IllegalStateException("the lab printed no install summary:\n" + String.join("\n", labOut));
    }

    private static void awaitCount(Gateway gateway, String path, int expected, Duration timeout, Process lab,
                                   List<String> labOut) throws Exception {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            HttpResponse<String> r = gateway.get(path);
            if (r.statusCode() == 200 && JSON.readTree(r.body()).path("total").asInt() >= expected) {
                return;
            }
            failIfEnded(lab, labOut);
            Thread.sleep(250);
        }
        throw new IllegalStateException(path + " did not reach " + expected + " within " + timeout);
    }

    private static JsonNode awaitDeployment(Gateway gateway, Duration timeout, Process lab, List<String> labOut) throws Exception {
        Instant until = Instant.now().plus(timeout);
        while (Instant.now().isBefore(until)) {
            HttpResponse<String> r = gateway.get("/api/v1/host-deployments/bench-rollout");
            if (r.statusCode() == 200) {
                JsonNode d = JSON.readTree(r.body());
                String state = d.path("state").asText();
                if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("ABORTED")) {
                    return d;
                }
            }
            failIfEnded(lab, labOut);
            Thread.sleep(250);
        }
        throw new IllegalStateException("the rollout did not end within " + timeout);
    }

    private static void failIfEnded(Process lab, List<String> labOut) {
        if (!lab.isAlive()) {
            synchronized (labOut) {
                throw new IllegalStateException("the lab ended (exit " + lab.exitValue() + "):\n" + String.join("\n", labOut));
            }
        }
    }

    private static void check(HttpResponse<String> r, String what) {
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }

    private RolloutBench() {
    }
}
