package com.ultracloud.deployer.installer.agent;

import com.ultracloud.deployer.installer.run.CommandExecutor;
import com.ultracloud.deployer.installer.run.Commands;
import com.ultracloud.deployer.protocol.agent.DesiredSystem.HealthCheck;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * The health gate: probes the new system's health check every {@code interval} until it passes or the confirm
 * deadline is reached. An http check is a GET that must answer {@code expectStatus}; a command or systemd check
 * runs through the executor (step {@value #STEP}) and must exit 0. Always probes at least once.
 */
final class HealthGate {

    static final String STEP = "health-check";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    /** The gate's answer: passed or not, and the last probe's one-line account. */
    record Verdict(boolean healthy, String detail) {
    }

    private final CommandExecutor executor;
    private final AgentClock clock;
    private final Duration interval;
    private final HttpProbe http;

    HealthGate(CommandExecutor executor, AgentClock clock, Duration interval, HttpProbe http) {
        this.executor = executor;
        this.clock = clock;
        this.interval = interval;
        this.http = http;
    }

    Verdict await(HealthCheck check, Instant deadline) throws InterruptedException {
        if (check == null) {
            return new Verdict(true, "no health check");
        }
        int probes = 0;
        while (true) {
            probes++;
            Verdict v = probe(check, deadline);
            if (v.healthy()) {
                return v;
            }
            Instant now = clock.now();
            if (!now.plus(interval).isBefore(deadline)) {
                return new Verdict(false, v.detail() + " (" + probes + (probes == 1 ? " probe" : " probes")
                        + " until the confirm deadline)");
            }
            clock.sleep(interval);
        }
    }

    Verdict probe(HealthCheck check, Instant deadline) throws InterruptedException {
        if (HealthCheck.HTTP.equals(check.type())) {
            String what = "GET " + check.url();
            try {
                int status = http.status(URI.create(check.url()), PROBE_TIMEOUT);
                return status == check.expectStatus() ? new Verdict(true, what + " answered " + status)
                        : new Verdict(false, what + " answered " + status + ", expected " + check.expectStatus());
            } catch (IOException e) {
                return new Verdict(false, what + " failed (" + e.getClass().getSimpleName() + ")");
            }
        }
        Duration left = Duration.between(clock.now(), deadline);
        Duration timeout = left.compareTo(PROBE_TIMEOUT) < 0 && !left.isNegative() && !left.isZero() ? left : PROBE_TIMEOUT;
        String what = Commands.display(check.argv());
        try {
            CommandExecutor.CommandResult r = executor.run(STEP, check.argv(), timeout);
            return r.succeeded() ? new Verdict(true, what + " exited 0")
                    : new Verdict(false, what + (r.timedOut() ? " timed out" : " exited " + r.exitCode()));
        } catch (IOException e) {
            return new Verdict(false, what + " could not run (" + e.getClass().getSimpleName() + ")");
        }
    }
}
