package com.ultracloud.deployer.machine.api.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The system a rollout activates: either a store path ({@code /nix/store/…-nixos-system-…}, already built)
 * or a flake reference and the name of one of its {@code nixosConfigurations} (the agent builds or
 * substitutes it). Exactly one of the two forms.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetSystem(String storePath, String flake, String configuration) {

    public static TargetSystem storePath(String path) {
        return new TargetSystem(path, null, null);
    }

    public static TargetSystem flake(String flake, String configuration) {
        return new TargetSystem(null, flake, configuration);
    }

    /** What is wrong with this reference, or null when it is one complete form. */
    public String problem() {
        boolean path = storePath != null && !storePath.isBlank();
        boolean ref = flake != null && !flake.isBlank();
        if (path == ref) {
            return "name either a store path or a flake with a configuration, not " + (path ? "both" : "neither");
        }
        if (path && !storePath.startsWith("/nix/store/")) {
            return "a store path starts with /nix/store/: " + storePath;
        }
        if (ref && (configuration == null || configuration.isBlank())) {
            return "a flake reference needs the configuration to build";
        }
        return null;
    }

    /** One line for messages: the store path, or {@code flake#configuration}. */
    public String describe() {
        return storePath != null ? storePath : flake + "#" + configuration;
    }
}
