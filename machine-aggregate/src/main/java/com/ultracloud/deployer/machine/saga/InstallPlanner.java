package com.ultracloud.deployer.machine.saga;

import com.ultracloud.deployer.machine.api.IssuedCredentials;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.protocol.InstallPlan;

import java.util.List;
import java.util.Objects;

/**
 * The install saga's port to the world: issues a machine's credentials, renders its plan, and seals
 * and stores the secrets (replacing, and so shredding, any earlier ones). Implemented by the gateway.
 * Only public facts come back: the saga and the events never see private material.
 */
public interface InstallPlanner {

    /** Plans attempt {@code round} (1 for the first plan of an install request) of {@code machineId}'s install. */
    Outcome plan(MachineId machineId, int round);

    sealed interface Outcome permits Planned, Refused, Deferred {
    }

    /** Credentials were issued and the plan rendered; the secrets are stored for the install-token holder. */
    record Planned(IssuedCredentials credentials, InstallPlan plan) implements Outcome {
        public Planned {
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(plan, "plan");
        }
    }

    /**
     * No plan yet, for a reason that is not the machine's (no cluster intent imported, or it cannot be
     * read): the machine stays INSTALL_PENDING and the pending deadline bounds the wait.
     */
    record Deferred(String reason) implements Outcome {
        public Deferred {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** No plan can be made; nothing was stored. */
    record Refused(String reason, List<String> problems) implements Outcome {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            problems = problems == null ? List.of() : List.copyOf(problems);
        }
    }
}
