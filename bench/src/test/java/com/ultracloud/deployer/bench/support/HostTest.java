package com.ultracloud.deployer.bench.support;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostTest {

    @Test
    void theJitCompilersCpuIsFoundAmongThisJvmsThreadsAndIsPartOfItsCpu() {
        long self = ProcessHandle.current().pid();
        // the test JVM has compiled its test framework by now: its compiler threads have used CPU
        long jit = Host.compilerCpuMillis(self);
        assertThat(jit).isPositive();
        assertThat(jit).isLessThanOrEqualTo(Host.processCpuMillis(self));
    }

    @Test
    void aProcessThatDoesNotExistHasNoCompilerCpu() {
        assertThat(Host.compilerCpuMillis(Long.MAX_VALUE)).isZero();
    }
}
