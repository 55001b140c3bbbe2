package com.ultracloud.deployer.machine.domain.credentials;

import com.ultracloud.deployer.machine.api.MachineId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeIdentityTest {

    private static final MachineId MACHINE = MachineId.ofFingerprint("mac:3c:ec:ef:10:20:30");

    private static NodeIdentity withAddresses(String... addresses) {
        return new NodeIdentity(MACHINE, "node-7", "node-7", "node-7.lab.example", List.of(addresses));
    }

    @Test
    void installerCidrAddressesLoseTheirPrefixAndDuplicatesGo() {
        NodeIdentity node = withAddresses("10.0.0.5/24", "10.0.0.5", "2001:DB8::5/64", "[fd00::5]");

        assertThat(node.addresses()).containsExactly("10.0.0.5", "2001:db8::5", "fd00::5");
    }

    @Test
    void namesAreLowerCasedAndTheRootDotDropped() {
        NodeIdentity node = new NodeIdentity(MACHINE, "n", "Node-7", "Node-7.Lab.Example.", List.of());

        assertThat(node.dnsNames()).containsExactly("node-7", "node-7.lab.example");
    }

    @Test
    void withoutAnFqdnOnlyTheHostnameIsADnsName() {
        assertThat(new NodeIdentity(MACHINE, "n", "node-7", null, List.of()).dnsNames()).containsExactly("node-7");
        assertThat(new NodeIdentity(MACHINE, "n", "node-7", "node-7", List.of()).dnsNames()).containsExactly("node-7");
    }

    @Test
    void hostNamesAndMalformedAddressesAreRejected() {
        assertThatThrownBy(() -> withAddresses("gw-01.lab")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withAddresses("10.0.0.256")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withAddresses("fe80::1%eth0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withAddresses("1:2:3:4:5:6:7:8:9")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostnamesMustBeOneDnsLabel() {
        assertThatThrownBy(() -> new NodeIdentity(MACHINE, "n", "gw_01", null, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeIdentity(MACHINE, "n", "gw-01.lab", null, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeIdentity(MACHINE, "n", "-gw", null, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NodeIdentity(MACHINE, "n", "gw", "gw..lab", List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
