package com.ultracloud.deployer.machine.command;

import com.ultracloud.deployer.machine.api.intent.ClusterIntentImported;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.api.intent.ImportClusterIntent;
import com.ultracloud.deployer.machine.api.intent.IntentImportResult;
import com.ultracloud.deployer.machine.domain.intent.IntentError;
import com.ultracloud.deployer.machine.domain.intent.IntentValidator;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;
import org.axonframework.modelling.command.CreationPolicy;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * The cluster's static intent (DESIGN §4): one per deployer. Each import of a different document
 * (by sha256 of its canonical JSON) is the next generation; the same document again, however it is
 * formatted, is a no-op.
 */
@AggregateRoot
class ClusterIntent {

    @AggregateIdentifier
    private String id;
    private long generation;
    private String sha256;
    private Instant importedAt;

    ClusterIntent() {
        // for Axon
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    IntentImportResult handle(ImportClusterIntent cmd) {
        if (cmd.sha256() == null || !cmd.sha256().matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
        }
        if (cmd.sha256().equals(sha256)) {
            return new IntentImportResult(generation, sha256, false, importedAt);
        }
        List<IntentError> errors = IntentValidator.validate(cmd.state());
        if (!errors.isEmpty()) {
            // the gateway validates first and answers 400; this guards other callers
            throw new IllegalArgumentException("invalid cluster intent: "
                    + errors.stream().map(IntentError::toString).collect(Collectors.joining("; ")));
        }
        if (id == null) {
            id = cmd.intentId();
        }
        ClusterState state = cmd.state();
        apply(new ClusterIntentImported(state.cluster().name(), generation + 1, cmd.sha256(), state));
        return new IntentImportResult(generation, sha256, true, importedAt);
    }

    @EventSourcingHandler
    void on(ClusterIntentImported event, @Timestamp Instant timestamp) {
        id = ImportClusterIntent.INTENT_ID;
        generation = event.generation();
        sha256 = event.sha256();
        importedAt = timestamp.truncatedTo(java.time.temporal.ChronoUnit.MILLIS); // as the event store keeps it
    }

    long generation() {
        return generation;
    }
}
