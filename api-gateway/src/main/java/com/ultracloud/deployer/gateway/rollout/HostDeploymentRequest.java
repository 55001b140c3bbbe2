package com.ultracloud.deployer.gateway.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.ultracloud.deployer.gateway.agent.DesiredSystems;
import com.ultracloud.deployer.gateway.problem.FieldError;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.deployment.DrainPolicy;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSpec;
import com.ultracloud.deployer.machine.api.deployment.MachineSelector;
import com.ultracloud.deployer.machine.api.deployment.MaxUnavailable;
import com.ultracloud.deployer.machine.api.rollout.ActivationSettings;
import com.ultracloud.deployer.machine.api.rollout.ActivationStrategy;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.HealthCheck;
import com.ultracloud.deployer.machine.api.rollout.RollbackPolicy;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of {@code POST /api/v1/host-deployments} (docs/api.md, "Host deployments"), read leniently so every
 * wrong field is named, then turned into a {@link HostDeploymentSpec} with the defaults: batch size 1, max
 * unavailable 1, no drain, strategy {@code switch}, 600 s to activate, 300 s to confirm, no health check,
 * automatic rollback, failure threshold 1.
 */
record HostDeploymentRequest(String id, Selector selector, SystemRef system, Integer batchSize, JsonNode maxUnavailable,
                             Drain drain, Activation activation, Integer failureThreshold) {

    /** Ids the intent import makes; an operator's deployment may not take one. */
    static final String INTENT_PREFIX = "intent-";
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,3})%");
    static final int MAX_ITEMS = 1000;

    record Selector(List<String> nodeClasses, List<String> pools, Map<String, String> labels, List<String> hostnames,
                    List<String> machineIds) {
    }

    /** {@code storePath}, or {@code flake} with {@code attribute} ({@code nixosConfigurations.<name>}) or {@code configuration} ({@code <name>}). */
    record SystemRef(String storePath, String flake, String attribute, String configuration) {
    }

    /** {@code mode} {@code none} (default) or {@code drain-first}, with {@code timeoutSeconds}. */
    record Drain(String mode, Integer timeoutSeconds) {
    }

    record Activation(String strategy, Integer activationTimeoutSeconds, Integer confirmTimeoutSeconds, Check healthCheck,
                      String rollbackPolicy) {
    }

    /** {@code type} none, http ({@code url}, {@code expectStatus}), command ({@code command}, run with /bin/sh -c), systemd ({@code units}). */
    record Check(String type, String url, Integer expectStatus, String command, List<String> units) {
    }

    /** The deployment id: the one asked for, else {@code hd-<generation>}. */
    DeploymentId deploymentId(long generation, List<FieldError> errors) {
        if (id == null) {
            return DeploymentId.of("hd-" + generation);
        }
        if (DesiredSystems.FIRST_BOOT.equals(id)) {
            errors.add(new FieldError("id", DesiredSystems.FIRST_BOOT + " is the agent API's name for the installed system"));
            return null;
        }
        if (id.startsWith(INTENT_PREFIX)) {
            errors.add(new FieldError("id", "ids starting with " + INTENT_PREFIX + " are the intent import's"));
            return null;
        }
        try {
            return DeploymentId.of(id);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("id", "1-100 of [a-z0-9._-], starting with a letter or digit"));
            return null;
        }
    }

    /** The spec, or null with {@code errors} saying why. */
    HostDeploymentSpec spec(List<FieldError> errors) {
        MachineSelector sel = selector(errors);
        TargetSystem target = system(errors);
        int batch = positive(errors, "batchSize", batchSize, 1);
        MaxUnavailable max = maxUnavailable(errors);
        DrainPolicy drainPolicy = drain(errors);
        ActivationSettings settings = activation(errors);
        int threshold = positive(errors, "failureThreshold", failureThreshold, 1);
        if (!errors.isEmpty()) {
            return null;
        }
        HostDeploymentSpec spec = new HostDeploymentSpec(sel, target, batch, max, drainPolicy, settings, threshold);
        spec.problems().forEach(p -> errors.add(new FieldError("$", p))); // the write side's own rules, last
        return errors.isEmpty() ? spec : null;
    }

    private MachineSelector selector(List<FieldError> errors) {
        if (selector == null) {
            errors.add(new FieldError("selector", "is required: name nodeClasses, pools, labels, hostnames or machineIds"));
            return null;
        }
        Selector s = selector;
        for (var list : Map.of("selector.nodeClasses", orEmpty(s.nodeClasses()), "selector.pools", orEmpty(s.pools()),
                "selector.hostnames", orEmpty(s.hostnames()), "selector.machineIds", orEmpty(s.machineIds())).entrySet()) {
            if (list.getValue().size() > MAX_ITEMS) {
                errors.add(new FieldError(list.getKey(), "at most " + MAX_ITEMS + " entries"));
            } else if (list.getValue().stream().anyMatch(v -> v == null || v.isBlank() || v.length() > 255)) {
                errors.add(new FieldError(list.getKey(), "entries are non-empty strings of at most 255 characters"));
            }
        }
        if (s.labels() != null && (s.labels().size() > 64 || s.labels().entrySet().stream().anyMatch(l -> l.getKey().isBlank()
                || l.getValue() == null || l.getKey().length() > 255 || l.getValue().length() > 255
                || l.getKey().contains("|") || l.getKey().contains("=") || l.getValue().contains("|")))) {
            errors.add(new FieldError("selector.labels", "at most 64 labels; keys and values are strings of at most 255"
                    + " characters without '|' (and keys without '=')"));
        }
        if (!errors.isEmpty()) {
            return null; // nulls or oversized entries: not even built
        }
        List<MachineId> ids = new java.util.ArrayList<>();
        for (String m : orEmpty(s.machineIds())) {
            try {
                ids.add(MachineId.parse(m));
            } catch (RuntimeException e) {
                errors.add(new FieldError("selector.machineIds", "not a machine id: '" + abbreviate(m) + "'"));
                break;
            }
        }
        MachineSelector sel = new MachineSelector(s.nodeClasses(), s.pools(), s.labels(), s.hostnames(), ids);
        if (errors.isEmpty() && sel.coversEverything()) {
            errors.add(new FieldError("selector", "an empty selector would roll out to every machine; name nodeClasses,"
                    + " pools, labels, hostnames or machineIds"));
        }
        return sel;
    }

    private TargetSystem system(List<FieldError> errors) {
        if (system == null) {
            errors.add(new FieldError("system", "is required: a storePath, or a flake with an attribute or configuration"));
            return null;
        }
        SystemRef s = system;
        if (s.attribute() != null && s.configuration() != null) {
            errors.add(new FieldError("system.configuration", "give attribute or configuration, not both"));
            return null;
        }
        String attribute = s.configuration() != null ? DesiredSystems.NIXOS_CONFIGURATIONS + s.configuration() : s.attribute();
        TargetSystem target = new TargetSystem(blankToNull(s.storePath()), blankToNull(s.flake()), blankToNull(attribute));
        String problem = target.problem();
        if (problem != null) {
            errors.add(new FieldError("system", problem));
        } else if (target.storePath() != null && target.storePath().length() > 512) {
            errors.add(new FieldError("system.storePath", "at most 512 characters"));
        } else if (target.flake() != null && (target.flake().length() > 512 || attribute.length() > 255)) {
            errors.add(new FieldError("system.flake", "a flake reference of at most 512 characters, an attribute of at most 255"));
        } else if (target.flake() != null && DesiredSystems.configurationOf(attribute).isEmpty()) {
            errors.add(new FieldError(s.configuration() != null ? "system.configuration" : "system.attribute",
                    "must name a nixosConfigurations entry: nixosConfigurations.<name> (or configuration <name>);"
                            + " {hostname} is each machine's hostname"));
        }
        return target;
    }

    private MaxUnavailable maxUnavailable(List<FieldError> errors) {
        if (maxUnavailable == null || maxUnavailable.isNull()) {
            return MaxUnavailable.count(1);
        }
        if (maxUnavailable.isIntegralNumber() && maxUnavailable.canConvertToInt() && maxUnavailable.intValue() >= 1) {
            return MaxUnavailable.count(maxUnavailable.intValue());
        }
        if (maxUnavailable.isTextual()) {
            var m = PERCENT.matcher(maxUnavailable.textValue());
            if (m.matches() && Integer.parseInt(m.group(1)) >= 1 && Integer.parseInt(m.group(1)) <= 100) {
                return MaxUnavailable.percent(Integer.parseInt(m.group(1)));
            }
        }
        errors.add(new FieldError("maxUnavailable", "a count of at least 1 (2) or a percent from 1% to 100% (\"25%\")"));
        return null;
    }

    private DrainPolicy drain(List<FieldError> errors) {
        if (drain == null || drain.mode() == null || "none".equals(drain.mode())) {
            return DrainPolicy.NONE;
        }
        if (!"drain-first".equals(drain.mode())) {
            errors.add(new FieldError("drain.mode", "must be none or drain-first"));
            return null;
        }
        return DrainPolicy.drainFirst(positive(errors, "drain.timeoutSeconds", drain.timeoutSeconds(), 1800));
    }

    private ActivationSettings activation(List<FieldError> errors) {
        Activation a = activation == null ? new Activation(null, null, null, null, null) : activation;
        ActivationStrategy strategy = ActivationStrategy.SWITCH;
        if (a.strategy() != null) {
            try {
                strategy = ActivationStrategy.fromWire(a.strategy());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("activation.strategy", "must be switch or boot"));
            }
        }
        RollbackPolicy rollback = RollbackPolicy.AUTOMATIC;
        if (a.rollbackPolicy() != null) {
            try {
                rollback = RollbackPolicy.fromWire(a.rollbackPolicy());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("activation.rollbackPolicy", "must be automatic or manual"));
            }
        }
        int activationTimeout = positive(errors, "activation.activationTimeoutSeconds", a.activationTimeoutSeconds(),
                ActivationSettings.DEFAULT.activationTimeoutSeconds());
        int confirmTimeout = positive(errors, "activation.confirmTimeoutSeconds", a.confirmTimeoutSeconds(),
                ActivationSettings.DEFAULT.confirmTimeoutSeconds());
        return new ActivationSettings(strategy, activationTimeout, confirmTimeout, check(a.healthCheck(), errors), rollback);
    }

    private static HealthCheck check(Check c, List<FieldError> errors) {
        if (c == null || "none".equals(c.type())) {
            return HealthCheck.NONE;
        }
        String type = c.type();
        if (type == null || !List.of("http", "command", "systemd").contains(type)) {
            errors.add(new FieldError("activation.healthCheck.type", "must be none, http, command or systemd"));
            return HealthCheck.NONE;
        }
        switch (type) {
            case "http" -> {
                if (c.url() == null || !(c.url().startsWith("http://") || c.url().startsWith("https://")) || c.url().length() > 1024) {
                    errors.add(new FieldError("activation.healthCheck.url", "an http:// or https:// URL of at most 1024 characters"));
                }
                if (c.expectStatus() != null && (c.expectStatus() < 100 || c.expectStatus() > 599)) {
                    errors.add(new FieldError("activation.healthCheck.expectStatus", "an HTTP status, 100-599"));
                }
                return new HealthCheck("http", c.url(), c.expectStatus() == null ? 200 : c.expectStatus(), null, null);
            }
            case "command" -> {
                if (c.command() == null || c.command().isBlank() || c.command().length() > 1024) {
                    errors.add(new FieldError("activation.healthCheck.command", "a command line of at most 1024 characters"));
                }
                return new HealthCheck("command", null, null, c.command(), null);
            }
            default -> {
                if (c.units() == null || c.units().isEmpty() || c.units().size() > 64
                        || c.units().stream().anyMatch(u -> u == null || u.isBlank() || u.length() > 255)) {
                    errors.add(new FieldError("activation.healthCheck.units", "1-64 systemd unit names"));
                }
                return new HealthCheck("systemd", null, null, null, c.units());
            }
        }
    }

    private static int positive(List<FieldError> errors, String field, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > 1_000_000) {
            errors.add(new FieldError(field, "must be between 1 and 1000000"));
            return fallback;
        }
        return value;
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
