package com.ultracloud.deployer.protocol;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The install plan (DESIGN §8.1 {@code plan}): everything the installer needs to partition, install
 * and configure one machine — no secrets (those travel beside it in {@link BootstrapPlan.Secrets}).
 * The root disk is named by a stable {@code /dev/disk/by-id/} or {@code /dev/disk/by-path/} path, never
 * {@code /dev/sdX}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstallPlan(String planId, Long intentGeneration, String installProfile, SystemRef system,
                          RootDevice rootDevice, String diskLayout, String wipe, Network network, String imageUrl,
                          List<String> kernelParams) {

    public InstallPlan {
        kernelParams = kernelParams == null ? List.of() : List.copyOf(kernelParams);
    }

    /**
     * The NixOS system to install, from {@code flake}. {@code attribute} is the output's full attribute path,
     * {@code nixosConfigurations.cp-1}: what {@code nix build}/{@code nix eval} take after {@code #} (with
     * {@code .config.system.build.toplevel}). {@code configuration} is the bare configuration name, {@code cp-1}:
     * what {@code nixos-install --flake <flake>#<configuration>} takes, since nixos-install looks the name up as
     * {@code nixosConfigurations."<configuration>"} itself (given the full path it would look for a configuration
     * named {@code "nixosConfigurations.cp-1"}, which does not exist).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SystemRef(String flake, String attribute, String configuration) {

        /**
         * The only attribute shape nixos-install can install: {@code nixosConfigurations.<name>}, the name one
         * attribute (no dot; never {@code #} or {@code "}, which nixos-install's {@code #} split would misread).
         */
        private static final Pattern INSTALLABLE = Pattern.compile("nixosConfigurations\\.([A-Za-z0-9_][A-Za-z0-9_'-]*)");

        /** The configuration name of {@code nixosConfigurations.<name>}; empty for an attribute of any other shape. */
        public static Optional<String> configurationOf(String attribute) {
            Matcher m = attribute == null ? null : INSTALLABLE.matcher(attribute);
            return m != null && m.matches() ? Optional.of(m.group(1)) : Optional.empty();
        }

        /** The system at {@code attribute}, its configuration name derived (null when the attribute has another shape). */
        public static SystemRef of(String flake, String attribute) {
            return new SystemRef(flake, attribute, configurationOf(attribute).orElse(null));
        }
    }

    /**
     * The chosen root disk: its stable {@code path}, the hints it matched (name → expression) and a
     * one-sentence {@code reason}; {@code rejected} says why every other disk was not chosen.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RootDevice(String path, Map<String, String> matchedHints, String reason, List<String> rejected) {
        public RootDevice {
            matchedHints = matchedHints == null ? Map.of() : Map.copyOf(matchedHints);
            rejected = rejected == null ? List.of() : List.copyOf(rejected);
        }
    }

    /**
     * The node's network: {@code mode} is {@code static} when the cluster intent fixes the node's
     * addresses (explicit {@code nodes}), else {@code dhcp}. {@code domain} is the install network's DNS
     * domain, else the cluster's ({@code hostname.domain} is the node's FQDN); {@code mtu} the install
     * network's MTU (absent: the NIC's default).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Network(String mode, String hostname, String domain, String network, List<Address> addresses,
                          String gateway, List<String> dns, Integer mtu) {
        public Network {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            dns = dns == null ? List.of() : List.copyOf(dns);
        }
    }

    /**
     * One static address: {@code address} in CIDR form (e.g. {@code 10.42.0.11/24}), bound to the NIC with
     * {@code mac}; {@code mtu} is its network's (absent: the NIC's default).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Address(String network, String address, String mac, String interfaceName, Integer mtu) {
    }
}
