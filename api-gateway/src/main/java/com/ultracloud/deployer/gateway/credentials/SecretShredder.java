package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.machine.api.DirectiveKinds;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.event.*;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code sealed_secret} and {@code node_certificate} in step with the lifecycle, in the transaction of
 * the event itself (subscribing processor {@value #PROCESSING_GROUP}): the install token is revoked when an
 * attempt or the install ends (succeeded, failed — a retry gets a new plan with new credentials — timed out,
 * no plan, marked failed), so discover never hands out a token for a plan that is over; the sealed secrets
 * are shredded, and the node certificate revoked, on reprovision, retirement, changed hardware and a rebound
 * installer (DESIGN §5, §10). Not a projection: never replayed.
 * <p>
 * A reprovision that gives the node's agent a directive (docs/day2.md) revokes the certificate a moment later: the
 * agent must still fetch the directive and acknowledge it with that certificate. It is revoked in the transaction of
 * the acknowledgement (the agent's last call) or of the directive's failure (no agent answered within the acknowledge
 * timeout, or it could not kexec); the install's new credentials revoke it at the latest. The sealed secrets go at once.
 */
@Component
@ProcessingGroup(SecretShredder.PROCESSING_GROUP)
class SecretShredder {

    static final String PROCESSING_GROUP = "credentials";

    private final SealedSecretStore secrets;
    private final NodeCertificates certificates;

    SecretShredder(SealedSecretStore secrets, NodeCertificates certificates) {
        this.secrets = secrets;
        this.certificates = certificates;
    }

    @EventHandler
    void on(StateChanged event) {
        if (event instanceof ReprovisionRequested r && r.directiveId() != null) {
            secrets.shred(event.machineId());
        } else if (event instanceof ReprovisionRequested || event instanceof MachineRetired || event instanceof InspectionInvalidated) {
            secrets.shred(event.machineId());
            certificates.revokeAll(event.machineId(), event instanceof ReprovisionRequested ? "reprovisioned"
                    : event instanceof MachineRetired ? "retired" : "the hardware changed while the install was pending");
        } else if (event instanceof MachineMarkedFailed f && f.previousState() == MachineState.REPROVISIONING) {
            // a reprovision whose directive was still open: its certificate must not outlive it
            secrets.revoke(event.machineId());
            certificates.revokeAll(event.machineId(), "reprovisioned");
        } else if (event instanceof InstallSucceeded || event instanceof InstallTimedOut
                || event instanceof InstallPlanFailed || event instanceof MachineMarkedFailed
                || event instanceof InstallFailed
                || (event instanceof InstallAttemptAbandoned a && a.state() == MachineState.FAILED)) {
            secrets.revoke(event.machineId());
        }
    }

    /** The reprovisioned node's agent acknowledged its directive (its last call), or it never will. */
    @EventHandler
    void on(DirectiveAcknowledged event) {
        if (DirectiveKinds.REPROVISION.equals(event.kind())) {
            certificates.revokeAll(event.machineId(), "reprovisioned");
        }
    }

    @EventHandler
    void on(DirectiveFailed event) {
        if (DirectiveKinds.REPROVISION.equals(event.kind())) {
            certificates.revokeAll(event.machineId(), "reprovisioned");
        }
    }

    /**
     * Another installer key: the old token and the secrets the old key may have opened are shredded and the
     * certificate revoked, before the saga issues new ones for the new key.
     */
    @EventHandler
    void on(InstallerRebound event) {
        secrets.shred(event.machineId());
        certificates.revokeAll(event.machineId(), "installer rebound to " + event.keyFingerprint());
    }
}
