package com.ultracloud.deployer.machine.domain.credentials;

import com.ultracloud.deployer.machine.api.MachineId;
import org.bouncycastle.util.IPAddress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who a node's credentials are for: the machine, its node id and the names and addresses that go into
 * its TLS certificate.
 *
 * <p>Names are lower-cased; {@code hostname} must be one RFC 1123 label, {@code fqdn} (optional: null
 * or blank means none, as in a lab without DNS) a dotted name of such labels. Addresses are IPv4 or
 * IPv6 literals; the CIDR form the installer reports ({@code 10.0.0.5/24}) is accepted and its prefix
 * length dropped, duplicates are removed, order is kept. Nothing is resolved through DNS.
 */
public record NodeIdentity(MachineId machineId, String nodeId, String hostname, String fqdn, List<String> addresses) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    public NodeIdentity {
        Objects.requireNonNull(machineId, "machineId");
        Objects.requireNonNull(nodeId, "nodeId");
        if (nodeId.isBlank()) {
            throw new IllegalArgumentException("nodeId must not be blank");
        }
        hostname = Objects.requireNonNull(hostname, "hostname").strip().toLowerCase(Locale.ROOT);
        if (!LABEL.matcher(hostname).matches()) {
            throw new IllegalArgumentException("hostname must be one DNS label (RFC 1123: a-z, 0-9, '-', at most 63): '" + hostname + "'");
        }
        fqdn = fqdn == null || fqdn.isBlank() ? null : normalizeName(fqdn);
        List<String> normalized = new ArrayList<>(new LinkedHashSet<>(
                Objects.requireNonNull(addresses, "addresses").stream().map(NodeIdentity::normalizeAddress).toList()));
        addresses = List.copyOf(normalized);
    }

    /** DNS names for the certificate: hostname, then the FQDN when there is one and it differs. */
    public List<String> dnsNames() {
        return fqdn == null || fqdn.equals(hostname) ? List.of(hostname) : List.of(hostname, fqdn);
    }

    /** A DNS name of RFC 1123 labels, lower-cased, without a trailing dot. */
    static String normalizeName(String fqdn) {
        String name = fqdn.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1); // absolute form: the root label is not part of a SAN
        }
        if (name.length() > 253 || !name.chars().allMatch(c -> c < 128)
                || !java.util.Arrays.stream(name.split("\\.", -1)).allMatch(label -> LABEL.matcher(label).matches())) {
            throw new IllegalArgumentException("fqdn must be a DNS name of RFC 1123 labels: '" + fqdn + "'");
        }
        return name;
    }

    /** An IPv4 or IPv6 literal (a CIDR suffix dropped), IPv6 lower-cased. */
    static String normalizeAddress(String address) {
        Objects.requireNonNull(address, "address");
        String a = address.strip();
        if (a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int slash = a.indexOf('/');
        if (slash >= 0 && IPAddress.isValidWithNetMask(a)) {
            a = a.substring(0, slash);
        }
        if (IPAddress.isValidIPv4(a)) {
            return a;
        }
        if (IPAddress.isValidIPv6(a)) {
            return a.toLowerCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("not an IPv4 or IPv6 address (zone ids and host names are not accepted): '" + address + "'");
    }
}
