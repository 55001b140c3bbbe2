package com.ultracloud.deployer.machine.domain.plan;

import com.ultracloud.deployer.protocol.BootstrapPlan;
import com.ultracloud.deployer.protocol.InstallPlan;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link InstallPlanRenderer#render}: either a plan (with the assignment the installer
 * receives and the static addresses that go into the node's TLS certificate), or the reason there is
 * none and every problem found.
 */
public sealed interface PlanRendering {

    boolean rendered();

    /** A plan was rendered. {@code staticAddresses} are the node's fixed IP addresses (none for DHCP). */
    record Rendered(InstallPlan plan, BootstrapPlan.Assignment assignment, String fqdn, List<String> staticAddresses)
            implements PlanRendering {
        public Rendered {
            Objects.requireNonNull(plan, "plan");
            Objects.requireNonNull(assignment, "assignment");
            staticAddresses = List.copyOf(staticAddresses);
        }

        @Override
        public boolean rendered() {
            return true;
        }
    }

    /** No plan: {@code reason} in one sentence, {@code problems} one line each. */
    record Refused(String reason, List<String> problems) implements PlanRendering {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            problems = List.copyOf(problems);
        }

        @Override
        public boolean rendered() {
            return false;
        }
    }
}
