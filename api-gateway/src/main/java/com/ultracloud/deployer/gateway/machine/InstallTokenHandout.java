package com.ultracloud.deployer.gateway.machine;

import com.ultracloud.deployer.gateway.credentials.InstallTokenGuard;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.machine.api.MachineState;
import com.ultracloud.deployer.projection.inventory.MachineDetail;
import org.springframework.stereotype.Component;

/**
 * Whether a discover gets an install token (DESIGN §10): only while the machine is install-pending, only
 * when the discover carried an installer key, and only when that key is the one the pending install is
 * bound to (the aggregate bound it, or rebound to it, in the same discover) — so the plan, sealed to the
 * token holder's key, can only be opened by the installer that asked. Otherwise the answer says why not.
 */
@Component
class InstallTokenHandout {

    /** A token, or null with the reason; {@code message} is for the installer's console. */
    record Answer(String token, String message) {
        static Answer none(String why) {
            return new Answer(null, why);
        }
    }

    private final InstallTokenGuard tokens;
    private final MachineHistory history;

    InstallTokenHandout(InstallTokenGuard tokens, MachineHistory history) {
        this.tokens = tokens;
        this.history = history;
    }

    Answer forDiscover(MachineId id, MachineState state, byte[] installerPublicKey, String keyFingerprint) {
        if (state != MachineState.INSTALL_PENDING) {
            return Answer.none(null);
        }
        if (installerPublicKey == null) {
            return Answer.none("no install token: the discover carried no installer.publicKey, and the plan's secrets "
                    + "are only ever sealed to the installer's key (update the installer image)");
        }
        MachineDetail.InstallerKey bound = history.current(id).map(MachineDetail::installer).orElse(null);
        if (bound == null || !keyFingerprint.equals(bound.keyFingerprint())) {
            if (bound != null && keyFingerprint.equals(bound.awaitingApproval())) {
                return Answer.none("installer key " + keyFingerprint + " waits for an operator to approve it "
                        + "(approve-installer); the install is bound to installer key " + bound.keyFingerprint());
            }
            return Answer.none("the install is bound to another installer key"
                    + (bound == null ? "" : " (" + bound.keyFingerprint() + ")") + "; this installer's is " + keyFingerprint);
        }
        return tokens.reissue(id, installerPublicKey).map(t -> new Answer(t, null))
                .orElseGet(() -> Answer.none("the install plan is not issued yet"));
    }
}
