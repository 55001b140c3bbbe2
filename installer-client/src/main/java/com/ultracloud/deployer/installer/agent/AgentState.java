package com.ultracloud.deployer.installer.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.installer.run.TargetFiles;
import com.ultracloud.deployer.protocol.agent.ActivationReport;
import com.ultracloud.deployer.protocol.agent.DesiredSystem.HealthCheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * The agent's own files under its state directory (default {@value #DEFAULT_DIR}, systemd's StateDirectory),
 * each written atomically (temp file + rename) with mode 0600:
 * <ul>
 *   <li>{@value #PENDING_CONFIRM}: a staged reboot waiting for its confirm — it survives the reboot, and the
 *       agent that starts after it confirms or rolls back;</li>
 *   <li>{@value #LAST_ACTIVATION}: the last desired system handled to the end, so a restarted agent does not
 *       activate again what it already confirmed or rolled back;</li>
 *   <li>{@value #LAST_DIRECTIVE}: the last directive acted on (its id and result), so it is acted on once;</li>
 *   <li>{@value #KEXEC_DIR}{@code /}: the installer's kernel and initrd a directive downloads for kexec.</li>
 * </ul>
 */
public final class AgentState {

    public static final String DEFAULT_DIR = "/var/lib/ultracloud/agent";
    public static final String PENDING_CONFIRM = "state.json";
    public static final String LAST_ACTIVATION = "last-activation.json";
    public static final String UNDELIVERED_REPORT = "undelivered-report.json";
    public static final String LAST_DIRECTIVE = "last-directive.json";
    public static final String KEXEC_DIR = "kexec";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /**
     * A staged reboot into {@code newSystem}: it must be the running system and pass {@code healthCheck} before
     * {@code deadline} (an ISO-8601 instant, readable in the file), else the agent returns to {@code previousSystem}
     * (when {@code rollback} is automatic).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PendingConfirm(String deploymentId, long generation, String newSystem, String previousSystem,
                                 String deadline, HealthCheck healthCheck, String rollback) {

        public PendingConfirm(String deploymentId, long generation, String newSystem, String previousSystem,
                              Instant deadline, HealthCheck healthCheck, String rollback) {
            this(deploymentId, generation, newSystem, previousSystem, deadline.toString(), healthCheck, rollback);
        }

        public Instant deadlineInstant() {
            return Instant.parse(deadline);
        }
    }

    /** How the activation of one desired system ended. */
    public record LastActivation(String deploymentId, long generation, String result) {
    }

    /** A directive the agent acted on: its id and the result it reported ({@code acknowledged} or {@code failed}). */
    public record HandledDirective(String id, String result) {
    }

    private final Path dir;
    private final boolean readOnly;

    /** @param readOnly a dry run: reads, never writes or deletes */
    public AgentState(Path dir, boolean readOnly) {
        this.dir = dir;
        this.readOnly = readOnly;
    }

    public Path pendingConfirmFile() {
        return dir.resolve(PENDING_CONFIRM);
    }

    public Optional<PendingConfirm> pendingConfirm() {
        return read(pendingConfirmFile(), PendingConfirm.class);
    }

    public void savePendingConfirm(PendingConfirm pending) {
        write(pendingConfirmFile(), pending);
    }

    public void clearPendingConfirm() {
        delete(pendingConfirmFile());
    }

    public Optional<LastActivation> lastActivation() {
        return read(dir.resolve(LAST_ACTIVATION), LastActivation.class);
    }

    public void saveLastActivation(LastActivation last) {
        write(dir.resolve(LAST_ACTIVATION), last);
    }

    /** A final report the deployer could not be reached with; sent again once it answers (also after a reboot). */
    public Optional<ActivationReport> undeliveredReport() {
        return read(dir.resolve(UNDELIVERED_REPORT), ActivationReport.class);
    }

    public void saveUndeliveredReport(ActivationReport report) {
        write(dir.resolve(UNDELIVERED_REPORT), report);
    }

    public void clearUndeliveredReport() {
        delete(dir.resolve(UNDELIVERED_REPORT));
    }

    public Optional<HandledDirective> lastDirective() {
        return read(dir.resolve(LAST_DIRECTIVE), HandledDirective.class);
    }

    public boolean directiveHandled(String id) {
        return lastDirective().map(d -> d.id().equals(id)).orElse(false);
    }

    public void saveLastDirective(HandledDirective handled) {
        write(dir.resolve(LAST_DIRECTIVE), handled);
    }

    /** Where a directive's kernel and initrd are downloaded to. */
    public Path kexecDir() {
        return dir.resolve(KEXEC_DIR);
    }

    private void delete(Path file) {
        if (!readOnly) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file, e);
            }
        }
    }

    private <T> Optional<T> read(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the agent's state file " + file + "; remove it to start afresh", e);
        }
    }

    private void write(Path file, Object value) {
        if (readOnly) {
            return;
        }
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            TargetFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value), "rw-------");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent's state file " + file, e);
        }
    }
}
