package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.LifecycleAction;
import com.ultracloud.deployer.machine.api.MachineErrorCode;
import com.ultracloud.deployer.machine.api.MachineException;
import com.ultracloud.deployer.machine.api.command.ApproveInstallerRebind;
import com.ultracloud.deployer.machine.api.command.DiscoverMachine;
import com.ultracloud.deployer.machine.api.event.*;
import com.ultracloud.deployer.machine.lifecycle.Lifecycle;
import com.ultracloud.deployer.protocol.InventoryDigest;
import com.ultracloud.deployer.protocol.MachineInventory;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.ultracloud.deployer.machine.api.MachineState.*;
import static com.ultracloud.deployer.machine.command.MachineHistories.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who gets an install-pending machine's secrets (DESIGN §10): the first installer key binds, another key
 * rebinds (automatically, or once an operator approves), and other hardware never silently replaces the
 * facts the plan was made for.
 */
class InstallerBindingTest {

    private org.axonframework.test.aggregate.FixtureConfiguration<Machine> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Machine.class).registerInjectableResource(new InMemoryNodeClaims());
    }

    private static DiscoverMachine withKey(String key, boolean approval) {
        return new DiscoverMachine(ID, FINGERPRINT.value(), FACTS, DIGEST, key, approval);
    }

    @Test
    void theFirstInstallerKeyIsBoundAndAskingAgainWithItRecordsNothing() {
        fixture.given(installPending())
                .when(withKey(KEY_A, false))
                .expectEvents(new InstallerKeyBound(ID, KEY_A))
                .expectResultMessagePayload(INSTALL_PENDING);
        fixture.given(plus(installPending(), new InstallerKeyBound(ID, KEY_A)))
                .when(withKey(KEY_A, false))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void anotherKeyRebindsAndRevokesTheCredentialsTheOldKeyMayHold() {
        fixture.given(plus(installPending(), new InstallerKeyBound(ID, KEY_A)))
                .when(withKey(KEY_B, false))
                .expectEvents(new InstallerRebound(ID, KEY_A, KEY_B, "automatic", CREDENTIALS))
                .expectResultMessagePayload(INSTALL_PENDING);
    }

    @Test
    void underOperatorRebindTheNewKeyWaitsAndAskingAgainRecordsNothingMore() {
        fixture.given(plus(installPending(), new InstallerKeyBound(ID, KEY_A)))
                .when(withKey(KEY_B, true))
                .expectEvents(new InstallerRebindRequested(ID, KEY_A, KEY_B));
        fixture.given(rebindRequested())
                .when(withKey(KEY_B, true))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
        // the bound installer is not disturbed by the request
        fixture.given(rebindRequested())
                .when(withKey(KEY_A, true))
                .expectNoEvents();
    }

    @Test
    void anOperatorApprovesExactlyTheKeyThatWaits() {
        fixture.given(rebindRequested())
                .when(new ApproveInstallerRebind(ID, KEY_B, null), MetaData.with("principal", "operator:alice"))
                .expectEvents(new InstallerRebound(ID, KEY_A, KEY_B, "operator:alice", CREDENTIALS));
        String other = "sha256:" + "c3".repeat(32);
        fixture.given(rebindRequested())
                .when(new ApproveInstallerRebind(ID, other, null))
                .expectNoEvents()
                .expectException(MachineException.class)
                .expectExceptionMessage("machine " + ID + " is INSTALL_PENDING; approve-installer refused: the installer key "
                        + "awaiting approval is " + KEY_B + ", not " + other);
    }

    @Test
    void approvingWithoutAPendingRebindIsAPreconditionFailure() {
        fixture.given(plus(installPending(), new InstallerKeyBound(ID, KEY_A)))
                .when(new ApproveInstallerRebind(ID, null, null))
                .expectNoEvents()
                .expectException(MachineException.class)
                .expectException(MachineMatchers.refusal(MachineErrorCode.PRECONDITION_FAILED, ID, INSTALL_PENDING,
                        LifecycleAction.APPROVE_INSTALLER, Lifecycle.allowedFrom(LifecycleAction.APPROVE_INSTALLER),
                        "a new installer key awaits approval"));
    }

    @Test
    void theBindingOutlivesAFailedAttemptButNotTheInstall() {
        // a retry in the same boot keeps its key: no rebind, no operator needed
        fixture.given(plus(installPending(), new InstallerKeyBound(ID, KEY_A), new InstallStarted(ID, PLAN_ID, 1, INSTALLING),
                        new InstallFailed(ID, PLAN_ID, 1, ATTEMPT_LIMIT, "disko failed", null, INSTALL_PENDING),
                        new BootstrapCredentialsIssued(ID, REISSUED_PLAN.planId(), CREDENTIALS), new InstallPlanIssued(ID, REISSUED_PLAN)))
                .when(withKey(KEY_A, true))
                .expectNoEvents();
        // a new install request binds whichever installer asks first
        fixture.given(plus(installPending(), new InstallerKeyBound(ID, KEY_A), new InstallStarted(ID, PLAN_ID, 1, INSTALLING),
                        new InstallSucceeded(ID, PLAN_ID, INSTALLED), new ReprovisionRequested(ID, false, CREDENTIALS, REPROVISIONING, null),
                        new InstallRequested(ID, ATTEMPT_LIMIT, INSTALL_PENDING)))
                .when(withKey(KEY_B, true))
                .expectEvents(new InstallerKeyBound(ID, KEY_B));
    }

    @Test
    void otherHardwareWhileAPlanIsPendingIsRecordedAndSendsTheMachineBackToInspection() {
        fixture.given(plus(installPending(), new InstallerKeyBound(ID, KEY_A)))
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), CHANGED_FACTS, CHANGED_DIGEST, KEY_A, false))
                .expectEvents(new InventoryRefreshed(ID, CHANGED_FACTS, CHANGED_DIGEST),
                        new InspectionInvalidated(ID, DIGEST, CHANGED_DIGEST, List.of("disks"), CREDENTIALS, DISCOVERED))
                .expectResultMessagePayload(DISCOVERED)
                .expectState(m -> assertThat(m.state()).isEqualTo(DISCOVERED));
    }

    @Test
    void theAttacksEmptyFactsNeverReplaceTheRecordedOnesWithoutATrace() {
        MachineInventory attack = new MachineInventory(new MachineInventory.SystemIdentity(FACTS.identity().smbiosUuid(),
                null, null, null, null), null, null, null, null, null, null, null);
        String digest = InventoryDigest.of(attack);
        fixture.given(installPending())
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), attack, digest))
                .expectEvents(new InventoryRefreshed(ID, attack, digest), new InspectionInvalidated(ID, DIGEST, digest,
                        List.of("identity", "nics", "disks", "cpu", "memoryBytes", "boot"), CREDENTIALS, DISCOVERED));
    }

    @Test
    void anotherAddressIsNotOtherHardware() {
        fixture.given(installPending())
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), READDRESSED_FACTS, READDRESSED_DIGEST))
                .expectEvents(new InventoryRefreshed(ID, READDRESSED_FACTS, READDRESSED_DIGEST))
                .expectResultMessagePayload(INSTALL_PENDING);
    }

    @Test
    void afterOtherHardwareTheNextInstallBindsAfresh() {
        fixture.given(plus(installPending(), new InstallerKeyBound(ID, KEY_A),
                        new InventoryRefreshed(ID, CHANGED_FACTS, CHANGED_DIGEST),
                        new InspectionInvalidated(ID, DIGEST, CHANGED_DIGEST, List.of("disks"), CREDENTIALS, DISCOVERED),
                        new MachineInspected(ID, COMPUTE, INSPECTED), new MachineCommissioned(ID, COMMISSIONED),
                        new NodeAssigned(ID, ASSIGNMENT), new InstallRequested(ID, ATTEMPT_LIMIT, INSTALL_PENDING)))
                .when(new DiscoverMachine(ID, FINGERPRINT.value(), CHANGED_FACTS, CHANGED_DIGEST, KEY_B, true))
                .expectEvents(new InstallerKeyBound(ID, KEY_B));
    }
}
