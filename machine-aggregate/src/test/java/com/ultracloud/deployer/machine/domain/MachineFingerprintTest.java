package com.ultracloud.deployer.machine.domain;

import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.protocol.MachineInventory.Nic;
import com.ultracloud.deployer.protocol.MachineInventory.SystemIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static com.ultracloud.deployer.machine.testdata.LabHardware.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MachineFingerprintTest {

    private static final String LOWEST_PERMANENT = "mac:" + ENO1_MAC;

    @Test
    void aRealSmbiosUuidIdentifiesTheMachine() {
        MachineFingerprint fp = MachineFingerprint.of(inventory(dellIdentity(), List.of(eno1(), eno2()), List.of(nvme())));

        assertThat(fp.source()).isEqualTo(MachineFingerprint.Source.SMBIOS_UUID);
        assertThat(fp.value()).isEqualTo("smbios:4c4c4544-0052-3310-8036-b7c04f4d4e32");
        assertThat(fp.machineId()).isEqualTo(MachineId.ofFingerprint("smbios:4c4c4544-0052-3310-8036-b7c04f4d4e32"));
    }

    @Test
    void aRealSmbiosUuidWinsOverChangedNics() {
        MachineId before = MachineFingerprint.of(inventory(dellIdentity(), List.of(eno1(), eno2()), List.of())).machineId();
        Nic replacement = new Nic("eno1", "b4:96:91:aa:00:01", "b4:96:91:aa:00:01", "i40e", 25000, true, "0000:19:00.0");
        MachineId after = MachineFingerprint.of(inventory(dellIdentity(), List.of(replacement), List.of())).machineId();

        assertThat(after).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "03000200-0400-0500-0006-000700080009",
            "00000000-0000-0000-0000-000000000000",
            "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "12345678-1234-5678-90AB-CDDEEFAABBCC",
            " 03000200-0400-0500-0006-000700080009 "})
    void aPlaceholderUuidIsNotAnIdentity(String placeholder) {
        assertThat(MachineFingerprint.isRealSmbiosUuid(placeholder)).isFalse();
        MachineFingerprint fp = MachineFingerprint.of(inventory(identity(placeholder), List.of(eno1(), eno2()), List.of()));
        assertThat(fp.source()).isEqualTo(MachineFingerprint.Source.PERMANENT_MAC);
        assertThat(fp.value()).isEqualTo(LOWEST_PERMANENT);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"not-a-uuid", "4C4C4544005233108036B7C04F4D4E32", "Not Settable"})
    void aMissingOrMalformedUuidIsNotAnIdentity(String uuid) {
        assertThat(MachineFingerprint.isRealSmbiosUuid(uuid)).isFalse();
    }

    @Test
    void placeholderUuidWithTwoNicsGivesTheIdOfTheLowestPermanentMac() {
        // eno2 is listed first and its current MAC was changed (locally administered, lower than
        // any permanent MAC): only eno1's permanent MAC may identify the machine
        Nic eno2 = new Nic("eno2", "02:5a:3c:00:00:01", ENO2_MAC, "ixgbe", 10000, true, "0000:19:00.1");
        Nic eno1 = new Nic("eno1", ENO2_MAC, ENO1_MAC, "ixgbe", 10000, true, "0000:19:00.0");

        MachineFingerprint fp = MachineFingerprint.of(inventory(whiteboxIdentity(), List.of(eno2, eno1), List.of()));

        assertThat(fp.source()).isEqualTo(MachineFingerprint.Source.PERMANENT_MAC);
        assertThat(fp.value()).isEqualTo(LOWEST_PERMANENT);
        assertThat(fp.machineId()).isEqualTo(MachineId.ofFingerprint(LOWEST_PERMANENT))
                .isEqualTo(MachineFingerprint.of(server()).machineId());
    }

    @Test
    void withoutPermanentMacsTheLowestCurrentMacIdentifiesTheMachine() {
        Nic virtio0 = new Nic("ens3", "52:54:00:12:34:57", null, "virtio_net", null, true, "0000:00:03.0");
        Nic virtio1 = new Nic("ens4", "52:54:00:12:34:56", null, "virtio_net", null, true, "0000:00:04.0");

        MachineFingerprint fp = MachineFingerprint.of(inventory(identity(null), List.of(virtio0, virtio1), List.of()));

        assertThat(fp.source()).isEqualTo(MachineFingerprint.Source.MAC);
        assertThat(fp.value()).isEqualTo("mac:52:54:00:12:34:56");
    }

    @Test
    void multicastAndZeroMacsAreSkipped() {
        Nic bond = new Nic("bond0", "00:00:00:00:00:00", "00:00:00:00:00:00", "bonding", null, true, null);
        Nic multicast = new Nic("weird0", "01:00:5e:00:00:fb", "01:00:5e:00:00:fb", null, null, false, null);
        Nic broadcast = new Nic("weird1", "ff:ff:ff:ff:ff:ff", "ff:ff:ff:ff:ff:ff", null, null, false, null);

        assertThat(MachineFingerprint.of(inventory(whiteboxIdentity(), List.of(bond, multicast, broadcast, eno2()), List.of())).value())
                .isEqualTo("mac:" + ENO2_MAC);
        Nic noPermanent = new Nic("eno2", ENO2_MAC, "00:00:00:00:00:00", "ixgbe", 10000, true, null);
        MachineFingerprint fallback = MachineFingerprint.of(inventory(whiteboxIdentity(), List.of(bond, multicast, noPermanent), List.of()));
        assertThat(fallback.source()).isEqualTo(MachineFingerprint.Source.MAC);
        assertThat(fallback.value()).isEqualTo("mac:" + ENO2_MAC);
    }

    @Test
    void noIdentityAtAllIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MachineFingerprint.of(inventory(null, List.of(), List.of(nvme()))))
                .withMessageContaining("cannot be identified");
        Nic unusable = new Nic("bond0", "00:00:00:00:00:00", "01:80:c2:00:00:0e", "bonding", null, true, null);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> MachineFingerprint.of(inventory(whiteboxIdentity(), List.of(unusable), List.of())));
    }

    @Test
    void macCaseAndDashesAreNormalised() {
        Nic upper = new Nic("eno1", "3C-EC-EF-4A-10-02", "3C-EC-EF-4A-10-02", "ixgbe", 10000, true, null);

        MachineFingerprint fp = MachineFingerprint.of(inventory(whiteboxIdentity(), List.of(upper), List.of()));

        assertThat(fp.value()).isEqualTo(LOWEST_PERMANENT);
        assertThat(MachineFingerprint.isUsableMac(" 3C:EC:EF:4A:10:02 ")).isTrue();
        assertThat(MachineFingerprint.isUsableMac("3cecef4a1002")).isFalse();
        assertThat(MachineFingerprint.isUsableMac(null)).isFalse();
    }

    private static SystemIdentity identity(String uuid) {
        return new SystemIdentity(uuid, "To Be Filled By O.E.M.", "OM21AS012345", "Supermicro", "SYS-1029P-WTR");
    }
}
