package com.ultracloud.deployer.machine.api.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The system a rollout activates: either a store path ({@code /nix/store/…-nixos-system-…}, already built)
 * or a flake reference and the attribute of the NixOS configuration in it (the agent builds or substitutes
 * {@code <flake>#<attribute>.config.system.build.toplevel}), as the intent and the install plan name systems.
 * Exactly one of the two forms. In a deployment's spec the attribute may contain {@value #HOSTNAME}
 * (the intent's {@code nixosConfigurations.{hostname}}); the rollout resolves it per machine
 * ({@link #forHost}), and a machine's desired system never contains it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetSystem(String storePath, String flake, String attribute) {

    /** The placeholder a deployment's attribute may carry for each machine's hostname. */
    public static final String HOSTNAME = "{hostname}";

    public static TargetSystem storePath(String path) {
        return new TargetSystem(path, null, null);
    }

    public static TargetSystem flake(String flake, String attribute) {
        return new TargetSystem(null, flake, attribute);
    }

    /** What is wrong with this reference, or null when it is one complete form. */
    public String problem() {
        boolean path = storePath != null && !storePath.isBlank();
        boolean ref = flake != null && !flake.isBlank();
        if (path == ref) {
            return "name either a store path or a flake with an attribute, not " + (path ? "both" : "neither");
        }
        if (path && !storePath.startsWith("/nix/store/")) {
            return "a store path starts with /nix/store/: " + storePath;
        }
        if (ref && (attribute == null || attribute.isBlank())) {
            return "a flake reference needs the attribute of the configuration to build";
        }
        return null;
    }

    /** Whether the attribute names each machine's own configuration through {@value #HOSTNAME}. */
    public boolean perHost() {
        return attribute != null && attribute.contains(HOSTNAME);
    }

    /** This system for one machine: {@value #HOSTNAME} replaced by its hostname. */
    public TargetSystem forHost(String hostname) {
        if (!perHost()) {
            return this;
        }
        if (hostname == null || hostname.isBlank()) {
            throw new IllegalArgumentException("the attribute " + attribute + " needs the machine's hostname");
        }
        return new TargetSystem(storePath, flake, attribute.replace(HOSTNAME, hostname));
    }

    /** One line for messages: the store path, or {@code flake#attribute}. */
    public String describe() {
        return storePath != null ? storePath : flake + "#" + attribute;
    }
}
