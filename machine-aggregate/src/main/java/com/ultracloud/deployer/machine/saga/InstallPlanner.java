package com.ultracloud.deployer.machine.saga;

import com.ultracloud.deployer.machine.api.IssuedCredentials;
import com.ultracloud.deployer.machine.api.MachineId;
import com.ultracloud.deployer.protocol.InstallPlan;

import java.util.List;
import java.util.Objects;

/**
 * The install saga's port to the world: issues a machine's credentials, renders its plan, and seals
 * the secrets; storing them (replacing, and so shredding, any earlier ones) is {@link Planned#keep()},
 * which the saga runs once the machine accepted the plan. Implemented by the gateway.
 * Only public facts come back: the saga and the events never see private material.
 */
public interface InstallPlanner {

    /** Plans attempt {@code round} (1 for the first plan of an install request) of {@code machineId}'s install. */
    Outcome plan(MachineId machineId, int round);

    sealed interface Outcome permits Planned, Refused, Deferred {
    }

    /**
     * Credentials were issued and the plan rendered, nothing stored yet: {@code keep} stores the sealed secrets for the
     * install-token holder and records the certificate. Run it only once the machine accepted the plan
     * (IssueInstallPlan), so that, as every command does, the saga holds the machine before it writes the machine's
     * rows: an operator's command on the machine holds it and then writes those rows (its secrets are revoked or
     * shredded with its events), and the saga writing them first and then waiting for the machine deadlocked with it.
     */
    record Planned(IssuedCredentials credentials, InstallPlan plan, Runnable keep) implements Outcome {
        public Planned {
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(keep, "keep");
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
