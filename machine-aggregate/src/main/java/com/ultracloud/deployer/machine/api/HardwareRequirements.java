package com.ultracloud.deployer.machine.api;

/**
 * Minimum traits a machine must have to pass inspection (from its node class). A null field is
 * not checked, so events recorded before a field existed read it as "not checked".
 * {@code minNicSpeedMbps} is met by the fastest NIC's reported link speed.
 */
public record HardwareRequirements(Integer minCpuThreads, Integer minCpuCores, Long minMemoryBytes, Integer minDisks,
                                   Long minDiskBytes, Integer minNics, Integer minNicSpeedMbps) {
    public static final HardwareRequirements NONE = new HardwareRequirements(null, null, null, null, null, null, null);
}
