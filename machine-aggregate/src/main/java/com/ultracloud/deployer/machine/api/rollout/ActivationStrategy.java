package com.ultracloud.deployer.machine.api.rollout;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/** How the nix-agent activates the new system (DESIGN §8 desired system). */
public enum ActivationStrategy {
    /** {@code switch-to-configuration test}, then made the boot default once healthy: no reboot. */
    SWITCH,
    /** {@code switch-to-configuration boot} and a reboot (kernel or initrd changed); confirmed after the boot. */
    BOOT;

    @JsonValue
    public String wireName() {
        return name().toLowerCase();
    }

    @JsonCreator
    public static ActivationStrategy fromWire(String name) {
        return Arrays.stream(values()).filter(v -> v.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("activation strategy is switch or boot, not " + name));
    }
}
