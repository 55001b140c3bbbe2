package com.ultracloud.deployer.machine.domain;

import com.ultracloud.deployer.machine.api.HardwareRequirements;
import com.ultracloud.deployer.protocol.MachineInventory;

import java.util.ArrayList;
import java.util.List;

/** Checks announced facts against minimum traits; lists every shortfall, not just the first. */
public final class InspectionCheck {

    private static final long GIB = 1L << 30;

    private InspectionCheck() {
    }

    public static List<String> unmet(MachineInventory facts, HardwareRequirements req) {
        List<String> unmet = new ArrayList<>();
        if (req == null) {
            return unmet;
        }
        Integer threads = facts.cpu() == null ? null : facts.cpu().threads();
        if (req.minCpuThreads() != null && (threads == null || threads < req.minCpuThreads())) {
            unmet.add("cpu.threads: " + (threads == null ? "unknown" : threads) + " < required " + req.minCpuThreads());
        }
        Integer cores = facts.cpu() == null ? null : facts.cpu().cores();
        if (req.minCpuCores() != null && (cores == null || cores < req.minCpuCores())) {
            unmet.add("cpu.cores: " + (cores == null ? "unknown" : cores) + " < required " + req.minCpuCores());
        }
        Long memory = facts.memoryBytes();
        if (req.minMemoryBytes() != null && (memory == null || memory < req.minMemoryBytes())) {
            unmet.add("memoryBytes: " + describeBytes(memory) + " < required " + describeBytes(req.minMemoryBytes()));
        }
        List<MachineInventory.Disk> fixedDisks = facts.disks().stream()
                .filter(d -> !Boolean.TRUE.equals(d.removable())).toList();
        if (req.minDisks() != null && fixedDisks.size() < req.minDisks()) {
            unmet.add("disks: " + fixedDisks.size() + " non-removable < required " + req.minDisks());
        }
        if (req.minDiskBytes() != null) {
            long largest = fixedDisks.stream().map(MachineInventory.Disk::sizeBytes)
                    .filter(s -> s != null).mapToLong(Long::longValue).max().orElse(0);
            if (largest < req.minDiskBytes()) {
                unmet.add("disks: largest non-removable disk " + describeBytes(largest) + " < required "
                        + describeBytes(req.minDiskBytes()));
            }
        }
        if (req.minNics() != null && facts.nics().size() < req.minNics()) {
            unmet.add("nics: " + facts.nics().size() + " < required " + req.minNics());
        }
        if (req.minNicSpeedMbps() != null) {
            // a NIC without link reports no speed: it cannot count as fast
            int fastest = facts.nics().stream().map(MachineInventory.Nic::speedMbps).filter(s -> s != null)
                    .mapToInt(Integer::intValue).max().orElse(0);
            if (fastest < req.minNicSpeedMbps()) {
                unmet.add("nics: fastest reported link " + (fastest == 0 ? "unknown" : fastest + " Mbps") + " < required "
                        + req.minNicSpeedMbps() + " Mbps");
            }
        }
        return unmet;
    }

    private static String describeBytes(Long bytes) {
        if (bytes == null) {
            return "unknown";
        }
        return bytes % GIB == 0 ? (bytes / GIB) + " GiB" : bytes + " bytes";
    }
}
