package com.ultracloud.deployer.installer.run;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The real executor enforces a timeout by killing the command (the agent's activation timeout). */
class ProcessExecutorTimeoutTest {

    @Test
    void aCommandPastItsTimeoutIsKilledAndItsOutputSoFarKept() throws Exception {
        ProcessExecutor executor = new ProcessExecutor(new PrintWriter(new StringWriter()));
        long started = System.nanoTime();
        CommandExecutor.CommandResult r = executor.run("activate",
                List.of("sh", "-c", "echo activating; exec sleep 30"), Duration.ofMillis(500));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitCode()).isEqualTo(124);
        assertThat(r.output()).containsExactly("activating", "timed out after 0 s");
    }

    @Test
    void aCommandWithinItsTimeoutGivesItsExitCodeAndOutput() throws Exception {
        CommandExecutor.CommandResult r = new ProcessExecutor(new PrintWriter(new StringWriter()))
                .run("health-check", List.of("sh", "-c", "echo not ready; exit 3"), Duration.ofSeconds(20));
        assertThat(r.timedOut()).isFalse();
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).containsExactly("not ready");
    }
}
