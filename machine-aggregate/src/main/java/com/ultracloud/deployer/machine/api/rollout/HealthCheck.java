package com.ultracloud.deployer.machine.api.rollout;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The check the nix-agent runs on the node after activating, until it passes or the confirm timeout ends:
 * {@code http} (GET {@code url}, answer {@code expectStatus}, default 200), {@code command} (exit 0) or
 * {@code systemd} (every unit in {@code units} active). The write side passes it through; the agent runs it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthCheck(String type, String url, Integer expectStatus, String command, List<String> units) {

    /** No check beyond the activation itself succeeding. */
    public static final HealthCheck NONE = new HealthCheck("none", null, null, null, null);

    public HealthCheck {
        units = units == null ? null : List.copyOf(units);
    }

    public static HealthCheck http(String url) {
        return new HealthCheck("http", url, 200, null, null);
    }

    /** What is wrong with this check, or null. */
    public String problem() {
        if (type == null) {
            return "a health check names its type (none, http, command or systemd)";
        }
        return switch (type) {
            case "none" -> null;
            case "http" -> url == null || url.isBlank() ? "an http health check needs a url" : null;
            case "command" -> command == null || command.isBlank() ? "a command health check needs a command" : null;
            case "systemd" -> units == null || units.isEmpty() ? "a systemd health check needs units" : null;
            default -> "health check type is none, http, command or systemd, not " + type;
        };
    }
}
