package com.ultracloud.deployer.machine.api;

/**
 * Minimum traits a machine must have to pass inspection (from its node class). A null field is
 * not checked.
 */
public record HardwareRequirements(Integer minCpuThreads, Long minMemoryBytes, Integer minDisks,
                                   Long minDiskBytes, Integer minNics) {
    public static final HardwareRequirements NONE = new HardwareRequirements(null, null, null, null, null);
}
