package com.ultracloud.deployer.projection.intent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.machine.api.intent.ClusterIntentImported;
import com.ultracloud.deployer.machine.api.intent.ClusterState;
import com.ultracloud.deployer.machine.api.intent.CurrentIntent;
import com.ultracloud.deployer.machine.api.query.FindCurrentIntent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;

/** The cluster intent in force, rebuilt from the {@link ClusterIntentImported} events on replay. */
@Component
@ProcessingGroup(IntentProjection.PROCESSING_GROUP)
public class IntentProjection {

    public static final String PROCESSING_GROUP = "intent";

    private final IntentRowRepository rows;
    private final ObjectMapper json;

    IntentProjection(IntentRowRepository rows, ObjectMapper json) {
        this.rows = rows;
        this.json = json;
    }

    @EventHandler
    void on(ClusterIntentImported event, @Timestamp Instant timestamp) {
        IntentRow current = rows.findById(IntentRow.ID).orElse(null);
        if (current != null && current.generation() >= event.generation()) {
            return; // a redelivered event
        }
        rows.save(new IntentRow(event.clusterId(), event.generation(), event.sha256(), timestamp, write(event.state())));
    }

    @ResetHandler
    void reset() {
        rows.deleteAllInBatch();
    }

    /** The intent in force, or null before the first import. */
    @QueryHandler
    CurrentIntent handle(FindCurrentIntent query) {
        return current();
    }

    public CurrentIntent current() {
        return rows.findById(IntentRow.ID)
                .map(r -> new CurrentIntent(r.generation(), r.sha256(), r.importedAt(), read(r.document())))
                .orElse(null);
    }

    private String write(ClusterState state) {
        try {
            return json.writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the cluster intent", e);
        }
    }

    private ClusterState read(String document) {
        try {
            return json.readValue(document, ClusterState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the intent row holds unreadable JSON", e);
        }
    }
}
