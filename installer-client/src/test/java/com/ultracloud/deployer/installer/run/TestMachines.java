package com.ultracloud.deployer.installer.run;

import com.ultracloud.deployer.protocol.MachineInventory;
import com.ultracloud.deployer.protocol.MachineInventory.Disk;

import java.util.List;

/** A small two-NVMe machine and plan answers for it. */
public final class TestMachines {

    public static final String SMALL_NVME = "/dev/disk/by-id/nvme-eui.0000000000000001";
    public static final String BIG_NVME = "/dev/disk/by-id/nvme-eui.0000000000000002";

    public static final Disk SMALL = new Disk("/dev/nvme0n1", List.of(SMALL_NVME), "/dev/disk/by-path/pci-0000:01:00.0-nvme-1",
            960_197_124_096L, "Micron_7450", null, "SMALL1", "eui.0000000000000001", null, null, null, false, false, "nvme");
    public static final Disk BIG = new Disk("/dev/nvme1n1", List.of(BIG_NVME), "/dev/disk/by-path/pci-0000:02:00.0-nvme-1",
            1_920_383_410_176L, "SAMSUNG MZQL21T9", null, "BIG1", "eui.0000000000000002", null, null, null, false, false, "nvme");
    public static final Disk USB = new Disk("/dev/sda", List.of("/dev/disk/by-id/usb-SanDisk_Ultra_1234-0:0"),
            "/dev/disk/by-path/pci-0000:00:14.0-usb-0:1:1.0-scsi-0:0:0:0", 30_752_636_928L, "Ultra", "SanDisk",
            "1234", null, null, null, null, false, true, "usb");

    public static final MachineInventory MACHINE = new MachineInventory(
            new MachineInventory.SystemIdentity("7c2a9e00-3f41-11ee-8000-000000000001", "SER1", "BRD1", "Supermicro", "X"),
            List.of(new MachineInventory.Nic("eno1", "3c:ec:ef:00:00:01", "3c:ec:ef:00:00:01", "igb", 1000, true, "0000:04:00.0")),
            List.of(USB, SMALL, BIG), null, 64L << 30, new MachineInventory.Boot("uefi", false), null,
            new MachineInventory.InstallerInfo("test"));

    public static String discover(String state, String token, String instruction) {
        return "{\"machineId\":\"11111111-2222-3333-4444-555555555555\",\"state\":\"" + state + "\","
                + (token == null ? "" : "\"installToken\":\"" + token + "\",")
                + "\"pollAfterSeconds\":1,\"instruction\":\"" + instruction + "\"}";
    }

    /** A plan naming {@code path} as the root device with hints size >= 800 GiB, not rotational. */
    public static String plan(String planId, String path, String layout) {
        return plan(planId, path, layout, "root-disk");
    }

    /** As {@link #plan(String, String, String)} with the disk policy's wipe. */
    public static String plan(String planId, String path, String layout, String wipe) {
        return """
                {"assignment":{"nodeId":"cp-1","hostname":"cp-1","nodeClass":"control-plane","pool":"control-plane"},
                 "secrets":{"sshHostKey":{"privateKeyOpenssh":"-----BEGIN OPENSSH PRIVATE KEY-----\\nSSHKEY\\n-----END OPENSSH PRIVATE KEY-----","publicKey":"ssh-ed25519 AAAAC3 cp-1"},
                            "tls":{"certificatePem":"-----BEGIN CERTIFICATE-----\\nNODE\\n-----END CERTIFICATE-----","privateKeyPem":"-----BEGIN PRIVATE KEY-----\\nTLSKEY\\n-----END PRIVATE KEY-----","caCertificatePem":"-----BEGIN CERTIFICATE-----\\nCA\\n-----END CERTIFICATE-----"}},
                 "plan":{"planId":"%s","intentGeneration":1,"installProfile":"standard",
                         "system":{"flake":"git+https://git.lab/fleet?ref=main","attribute":"nixosConfigurations.cp-1","configuration":"cp-1"},
                         "rootDevice":{"path":"%s","matchedHints":{"size":">= 800","rotational":"false"},"reason":"r"},
                         "diskLayout":"%s","wipe":"%s"}}
                """.formatted(planId, path, layout, wipe);
    }

    public static String ack(String state) {
        return "{\"machineId\":\"11111111-2222-3333-4444-555555555555\",\"planId\":\"p\",\"state\":\"" + state + "\"}";
    }

    private TestMachines() {
    }
}
