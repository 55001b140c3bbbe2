package com.ultracloud.deployer.gateway.credentials;

import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.machine.api.event.*;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code sealed_secret} in step with the lifecycle, in the transaction of the event itself
 * (subscribing processor {@value #PROCESSING_GROUP}): the install token is revoked when an attempt
 * or the install ends (succeeded, failed — a retry gets a new plan with new credentials — timed out,
 * no plan, marked failed), so discover never hands out a token for a plan that is over; the sealed secrets are
 * shredded on reprovision and retire (DESIGN §5). Not a projection: never replayed.
 */
@Component
@ProcessingGroup(SecretShredder.PROCESSING_GROUP)
class SecretShredder {

    static final String PROCESSING_GROUP = "credentials";

    private final SealedSecretStore secrets;

    SecretShredder(SealedSecretStore secrets) {
        this.secrets = secrets;
    }

    @EventHandler
    void on(StateChanged event) {
        if (event instanceof ReprovisionRequested || event instanceof MachineRetired) {
            secrets.shred(event.machineId());
        } else if (event instanceof InstallSucceeded || event instanceof InstallTimedOut
                || event instanceof InstallPlanFailed || event instanceof MachineMarkedFailed
                || event instanceof InstallFailed
                || (event instanceof InstallAttemptAbandoned a && a.state() == MachineState.FAILED)) {
            secrets.revoke(event.machineId());
        }
    }
}
