package com.ultracloud.deployer.protocol.agent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Set;

/**
 * The answer of {@code GET /api/v1/agent/desired-system} (DESIGN §8): the system the deployer wants this node
 * to run, for deployment {@code deploymentId} at {@code generation} (increases with every new desired system of
 * the node), and how to get there: {@code activation} {@code switch} (switch-to-configuration test, then boot once
 * healthy) or {@code boot} (make it the boot default and reboot), within {@code activationTimeoutSeconds}; the
 * new system must then pass {@code healthCheck} within {@code confirmTimeoutSeconds}, else {@code rollback}
 * {@code automatic} returns to the previous generation ({@code none} leaves it and reports {@code failed}).
 * Absent timeouts, activation and rollback take the defaults below.
 * <p>
 * While an operator's rescue or reprovision of the node is pending, the answer is a {@link Directive} instead
 * (docs/day2.md): {@code directive} set, {@code deploymentId} {@value #DIRECTIVE_DEPLOYMENT}, generation 0 and no
 * {@code system}. The agent acts on it before anything else.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DesiredSystem(String deploymentId, long generation, SystemTarget system, String activation,
                            Integer activationTimeoutSeconds, Integer confirmTimeoutSeconds, HealthCheck healthCheck,
                            String rollback, Directive directive) {

    public static final String SWITCH = "switch";
    public static final String BOOT = "boot";
    public static final String ROLLBACK_AUTOMATIC = "automatic";
    public static final String ROLLBACK_NONE = "none";
    public static final int DEFAULT_ACTIVATION_TIMEOUT_SECONDS = 600;
    public static final int DEFAULT_CONFIRM_TIMEOUT_SECONDS = 300;
    /** The deployment id of a directive answer: no deployment owns it. */
    public static final String DIRECTIVE_DEPLOYMENT = "directive";

    public DesiredSystem {
        WireValues.required("deploymentId", deploymentId);
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative, not " + generation);
        }
        if (system == null && directive == null) {
            throw new IllegalArgumentException("system is required: a storePath, or a flake and a configuration");
        }
        if (system != null) { // a directive answer activates nothing: no activation settings
            activation = WireValues.oneOf("activation", activation == null ? SWITCH : activation, Set.of(SWITCH, BOOT));
            activationTimeoutSeconds = WireValues.positive("activationTimeoutSeconds", activationTimeoutSeconds,
                    DEFAULT_ACTIVATION_TIMEOUT_SECONDS);
            confirmTimeoutSeconds = WireValues.positive("confirmTimeoutSeconds", confirmTimeoutSeconds,
                    DEFAULT_CONFIRM_TIMEOUT_SECONDS);
            rollback = WireValues.oneOf("rollback", rollback == null ? ROLLBACK_AUTOMATIC : rollback,
                    Set.of(ROLLBACK_AUTOMATIC, ROLLBACK_NONE));
        }
    }

    /** The answer that carries only a directive. */
    public static DesiredSystem of(Directive directive) {
        return new DesiredSystem(DIRECTIVE_DEPLOYMENT, 0, null, null, null, null, null, null, directive);
    }

    @JsonIgnore
    public boolean rollsBackAutomatically() {
        return ROLLBACK_AUTOMATIC.equals(rollback);
    }

    /**
     * The system to run: a built {@code storePath} ({@code /nix/store/…-nixos-system-…}), or a {@code flake} and the
     * bare {@code configuration} name under {@code nixosConfigurations} (as the install plan's
     * {@code system.configuration}), which the agent builds first. Exactly one of the two.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SystemTarget(String storePath, String flake, String configuration) {

        public SystemTarget {
            boolean path = storePath != null;
            boolean flakeRef = flake != null || configuration != null;
            if (path == flakeRef) {
                throw new IllegalArgumentException("system must name either a storePath or a flake and a configuration, not "
                        + (path ? "both" : "neither"));
            }
            if (path && !storePath.startsWith("/nix/store/")) {
                throw new IllegalArgumentException("system.storePath must be a /nix/store path, not '" + storePath + "'");
            }
            if (flakeRef) {
                WireValues.required("system.flake", flake);
                WireValues.required("system.configuration", configuration);
                if (configuration.contains("#") || configuration.contains("\"") || configuration.contains(".")) {
                    throw new IllegalArgumentException("system.configuration must be the bare configuration name (cp-1), not '"
                            + configuration + "'");
                }
            }
        }

        public static SystemTarget storePath(String storePath) {
            return new SystemTarget(storePath, null, null);
        }

        public static SystemTarget flake(String flake, String configuration) {
            return new SystemTarget(null, flake, configuration);
        }

        /** What {@code nix build} builds for a flake target: the configuration's toplevel. */
        @JsonIgnore
        public String flakeInstallable() {
            return flake + "#nixosConfigurations." + configuration + ".config.system.build.toplevel";
        }
    }

    /**
     * How the agent tells that the new system works: {@code http} (GET {@code url}, expecting {@code expectStatus},
     * default 200), {@code command} (the argv {@code command} exits 0) or {@code systemd} (every unit of
     * {@code units} is active, i.e. {@code systemctl is-active --quiet <units>} exits 0: the intent's
     * {@code systemd} health check). A desired system without a health check is healthy once activated.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HealthCheck(String type, String url, List<String> command, Integer expectStatus, List<String> units) {

        public static final String HTTP = "http";
        public static final String COMMAND = "command";
        public static final String SYSTEMD = "systemd";

        public HealthCheck {
            WireValues.oneOf("healthCheck.type", type, Set.of(HTTP, COMMAND, SYSTEMD));
            command = command == null ? null : List.copyOf(command);
            units = units == null ? null : List.copyOf(units);
            switch (type) {
                case HTTP -> {
                    WireValues.required("healthCheck.url", url);
                    if (!url.startsWith("http://") && !url.startsWith("https://")) {
                        throw new IllegalArgumentException("healthCheck.url must be an http:// or https:// URL, not '" + url + "'");
                    }
                    expectStatus = expectStatus == null ? 200 : expectStatus;
                    if (expectStatus < 100 || expectStatus > 599) {
                        throw new IllegalArgumentException("healthCheck.expectStatus must be an HTTP status, not " + expectStatus);
                    }
                }
                case COMMAND -> {
                    if (command == null || command.isEmpty() || command.get(0).isBlank()) {
                        throw new IllegalArgumentException("healthCheck.command must be a non-empty argv, e.g. [\"/run/current-system/sw/bin/true\"]");
                    }
                }
                default -> {
                    if (units == null || units.isEmpty()) {
                        throw new IllegalArgumentException("healthCheck.units must name at least one systemd unit");
                    }
                }
            }
        }

        public static HealthCheck http(String url, int expectStatus) {
            return new HealthCheck(HTTP, url, null, expectStatus, null);
        }

        public static HealthCheck command(List<String> command) {
            return new HealthCheck(COMMAND, null, command, null, null);
        }

        public static HealthCheck systemd(List<String> units) {
            return new HealthCheck(SYSTEMD, null, null, null, units);
        }

        /** The argv the agent runs for a {@code command} or {@code systemd} check. */
        @JsonIgnore
        public List<String> argv() {
            if (COMMAND.equals(type)) {
                return command;
            }
            if (SYSTEMD.equals(type)) {
                return java.util.stream.Stream.concat(java.util.stream.Stream.of("systemctl", "is-active", "--quiet"),
                        units.stream()).toList();
            }
            throw new IllegalStateException("an http health check runs no command");
        }
    }

    /**
     * An operator's directive for the node, riding on the desired-system channel: {@code kind} {@value #RESCUE} or
     * {@value #REPROVISION}, {@code id} naming it so the agent acts on it once. The agent downloads {@code kernel}
     * and {@code initrd} (the installer's netboot image), checks each one's SHA-256, loads them with
     * {@code kexec -l <kernel> --initrd=<initrd> --command-line="<commandLine joined by spaces>"}, reports
     * {@code acknowledged} ({@link DirectiveReport}) and runs {@code systemctl kexec}: the machine boots the installer
     * in memory, without a BMC, and the installer discovers and is told what to do. {@code problem} set (and no
     * image) means the deployer cannot give one: the agent reports it as {@code failed} and the operator boots the
     * installer image by hand. Agents that do not know a kind report it failed.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Directive(String kind, String id, Artifact kernel, Artifact initrd,
                            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> commandLine, String problem) {

        public static final String RESCUE = "rescue";
        public static final String REPROVISION = "reprovision";

        public Directive {
            WireValues.required("directive.kind", kind);
            WireValues.required("directive.id", id);
            commandLine = commandLine == null ? List.of() : List.copyOf(commandLine);
            if (problem == null && (kernel == null || initrd == null)) {
                throw new IllegalArgumentException("directive " + id + " needs a kernel and an initrd, or a problem");
            }
        }

        /** A directive the deployer cannot give an image for: the agent reports {@code problem}. */
        public static Directive without(String kind, String id, String problem) {
            WireValues.required("directive.problem", problem);
            return new Directive(kind, id, null, null, null, problem);
        }

        /** The {@code --command-line} value: the parameters joined by spaces. */
        @JsonIgnore
        public String joinedCommandLine() {
            return String.join(" ", commandLine);
        }

        @Override
        public String toString() {
            // the command line carries the join secret: never printed
            return "Directive[kind=" + kind + ", id=" + id + ", kernel=" + kernel + ", initrd=" + initrd
                    + ", commandLine=(" + commandLine.size() + " parameters), problem=" + problem + "]";
        }
    }

    /** A file to download: {@code url} and the lowercase hex SHA-256 of its bytes. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Artifact(String url, String sha256) {
        public Artifact {
            WireValues.required("url", url);
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException("an image URL must be http:// or https://, not '" + url + "'");
            }
            if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sha256 of " + url + " must be 64 lowercase hex digits");
            }
        }
    }
}
