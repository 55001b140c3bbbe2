package com.ultracloud.deployer.machine.domain.rollout;

import com.ultracloud.deployer.machine.api.deployment.DrainPolicy;
import com.ultracloud.deployer.machine.api.deployment.HostDeploymentSpec;
import com.ultracloud.deployer.machine.api.deployment.MaxUnavailable;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.api.rollout.ActivationStrategy;
import com.ultracloud.deployer.machine.api.rollout.DeploymentId;
import com.ultracloud.deployer.machine.api.rollout.HealthCheck;
import com.ultracloud.deployer.machine.api.rollout.RollbackPolicy;
import com.ultracloud.deployer.machine.api.rollout.TargetSystem;
import com.ultracloud.deployer.machine.domain.plan.Lab;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The lab intent's host deployments as HostDeployment specs and ids. */
class IntentHostDeploymentsTest {

    static ClusterState.HostDeployment lab(String name) {
        return Lab.clusterState().hostDeployments().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theLabsDataPlaneDeploymentBecomesACompleteSpec() {
        ClusterState.HostDeployment d = lab("data-plane");
        HostDeploymentSpec spec = IntentHostDeployments.spec(d);

        assertThat(spec.problems()).isEmpty();
        assertThat(spec.selector().nodeClasses()).containsExactly("worker", "storage");
        assertThat(spec.system()).isEqualTo(TargetSystem.flake(d.system().flake(), "nixosConfigurations.{hostname}"));
        assertThat(spec.system().perHost()).isTrue();
        assertThat(spec.batchSize()).isEqualTo(1);
        assertThat(spec.maxUnavailable()).isEqualTo(MaxUnavailable.count(1));
        assertThat(spec.drain()).isEqualTo(DrainPolicy.drainFirst(IntentHostDeployments.DRAIN_TIMEOUT_SECONDS));
        assertThat(spec.activation().strategy()).isEqualTo(ActivationStrategy.SWITCH);
        assertThat(spec.activation().activationTimeoutSeconds()).isEqualTo(600);
        assertThat(spec.activation().confirmTimeoutSeconds()).isEqualTo(120); // the health check's timeout
        assertThat(spec.activation().healthCheck()).isEqualTo(
                new HealthCheck("http", "http://127.0.0.1:9100/metrics", 200, null, List.of()));
        assertThat(spec.activation().rollbackPolicy()).isEqualTo(RollbackPolicy.AUTOMATIC);
        assertThat(spec.failureThreshold()).isEqualTo(IntentHostDeployments.FAILURE_THRESHOLD);
    }

    @Test
    void everyLabDeploymentIsValid() {
        assertThat(Lab.clusterState().hostDeployments()).isNotEmpty()
                .allSatisfy(d -> assertThat(IntentHostDeployments.spec(d).problems()).as(d.name()).isEmpty());
    }

    @Test
    void defaultsFollowTheSchemaAndAManualRollbackAndNoDrainMapThrough() {
        ClusterState.HostDeployment d = new ClusterState.HostDeployment("Web Tier", null,
                new ClusterState.Selector(List.of("web"), null, null, Map.of("tier", "web")),
                new ClusterState.SystemRef("git+https://git.lab.example/fleet", "nixosConfigurations.web"),
                null, null, "none", null, null, "manual");
        HostDeploymentSpec spec = IntentHostDeployments.spec(d);

        assertThat(spec.problems()).isEmpty();
        assertThat(spec.drain()).isEqualTo(DrainPolicy.NONE);
        assertThat(spec.activation().rollbackPolicy()).isEqualTo(RollbackPolicy.MANUAL);
        assertThat(spec.activation().healthCheck()).isEqualTo(HealthCheck.NONE);
        assertThat(spec.activation().confirmTimeoutSeconds()).isEqualTo(IntentHostDeployments.CONFIRM_TIMEOUT_SECONDS);
        assertThat(spec.batchSize()).isEqualTo(1);
        assertThat(spec.maxUnavailable()).isEqualTo(MaxUnavailable.count(1));
        assertThat(IntentHostDeployments.id(d).value()).matches("intent-web-tier-[0-9a-f]{12}");
    }

    @Test
    void theIdChangesWithTheEntryAndOnlyWithIt() {
        ClusterState.HostDeployment d = lab("control-plane");
        ClusterState.HostDeployment same = lab("control-plane");
        ClusterState.HostDeployment changed = new ClusterState.HostDeployment(d.name(), d.description(), d.selector(),
                d.system(), 2, d.maxUnavailable(), d.drainPolicy(), d.healthCheck(), d.activationTimeoutSeconds(),
                d.rollbackPolicy());

        DeploymentId id = IntentHostDeployments.id(d);
        assertThat(id.value()).startsWith("intent-control-plane-");
        assertThat(IntentHostDeployments.id(same)).isEqualTo(id);
        assertThat(IntentHostDeployments.id(changed)).isNotEqualTo(id);
    }
}
