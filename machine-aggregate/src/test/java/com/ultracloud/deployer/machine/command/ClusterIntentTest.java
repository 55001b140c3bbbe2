package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.intent.ClusterIntentImported;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.api.intent.ImportClusterIntent;
import com.ultracloud.deployer.machine.api.intent.IntentImportResult;
import com.ultracloud.deployer.machine.testdata.Lab;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


class ClusterIntentTest {

    static final ClusterState LAB = Lab.state();
    static final String SHA_A = "a".repeat(64);
    static final String SHA_B = "b".repeat(64);

    AggregateTestFixture<ClusterIntent> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(ClusterIntent.class);
    }

    static org.hamcrest.Matcher<IntentImportResult> result(long generation, String sha256, boolean changed) {
        return new org.hamcrest.TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(IntentImportResult r) {
                return r.generation() == generation && r.sha256().equals(sha256) && r.changed() == changed
                        && r.importedAt() != null;
            }

            @Override
            public void describeTo(org.hamcrest.Description d) {
                d.appendText("generation " + generation + ", sha256 " + sha256 + ", changed " + changed);
            }
        };
    }

    @Test
    void theFirstImportIsGenerationOne() {
        fixture.givenNoPriorActivity()
                .when(ImportClusterIntent.of(LAB, SHA_A))
                .expectEvents(new ClusterIntentImported("lab", 1, SHA_A, LAB))
                .expectResultMessagePayloadMatching(result(1, SHA_A, true));
    }

    @Test
    void theSameDocumentAgainChangesNothing() {
        fixture.given(new ClusterIntentImported("lab", 1, SHA_A, LAB))
                .when(ImportClusterIntent.of(LAB, SHA_A))
                .expectNoEvents()
                .expectResultMessagePayloadMatching(result(1, SHA_A, false));
    }

    @Test
    void aChangedDocumentIsTheNextGeneration() {
        fixture.given(new ClusterIntentImported("lab", 1, SHA_A, LAB), new ClusterIntentImported("lab", 2, SHA_B, LAB))
                .when(ImportClusterIntent.of(LAB, SHA_A))
                .expectEvents(new ClusterIntentImported("lab", 3, SHA_A, LAB))
                .expectResultMessagePayloadMatching(result(3, SHA_A, true));
    }

    @Test
    void anInvalidDocumentIsRefused() {
        ClusterState broken = new ClusterState(1, LAB.cluster(), LAB.networks(), LAB.diskPolicies(), LAB.installProfiles(),
                LAB.nodeClasses(), java.util.List.of(), LAB.enrollmentRules(), LAB.nodes(), LAB.hostDeployments(), null);
        fixture.givenNoPriorActivity()
                .when(ImportClusterIntent.of(broken, SHA_A))
                .expectException(IllegalArgumentException.class)
                .expectNoEvents();
    }
}
