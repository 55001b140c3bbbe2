package com.ultracloud.deployer.projection.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.ultracloud.deployer.machine.api.event.MachineEvent;
import com.ultracloud.deployer.machine.api.query.CountMachines;
import com.ultracloud.deployer.machine.api.query.FindMachine;
import com.ultracloud.deployer.machine.api.query.ListMachines;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ReplayStatus;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.queryhandling.QueryHandler;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The inventory read model: one row per machine, rebuilt from the event store on replay. */
@Component
@ProcessingGroup(InventoryProjection.PROCESSING_GROUP)
public class InventoryProjection {

    public static final String PROCESSING_GROUP = "inventory";
    private static final String TOLD_AFTER_COMMIT = InventoryProjection.class.getName() + ".toldAfterCommit";

    private final MachineRowRepository rows;
    private final FleetIndex index;
    private final InventoryListing listing;
    private final ObjectMapper json;
    private final List<InventoryChanges> listeners;

    InventoryProjection(MachineRowRepository rows, FleetIndex index, InventoryListing listing, ObjectMapper json,
                        List<InventoryChanges> listeners) {
        this.rows = rows;
        this.index = index;
        this.listing = listing;
        this.json = json;
        this.listeners = List.copyOf(listeners);
    }

    @EventHandler
    void on(MachineEvent event, @SequenceNumber Long sequence, @Timestamp Instant timestamp, ReplayStatus replay) {
        String id = event.machineId().toString();
        MachineRow row = rows.findById(id).orElse(null);
        if (row != null && row.version() >= sequence) {
            return; // already folded in (a redelivered batch): folding twice would double-count
        }
        MachineDetail before = row == null ? null : read(row);
        MachineDetail after = MachineDetailFold.apply(before, event, sequence, timestamp);
        MachineRow target = row == null ? new MachineRow(id) : row;
        target.update(after, write(after));
        rows.save(target);
        // the counts per rule and per state, class and pool, in the same transaction
        index.ruleMoved(FleetIndex.ruleHeld(before), FleetIndex.ruleHeld(after));
        listing.countMoved(InventoryListing.CountKey.of(before), InventoryListing.CountKey.of(after));
        if (!listeners.isEmpty() && !replay.isReplay()) {
            Runnable tell = () -> listeners.forEach(l -> l.folded(before, after, timestamp));
            if (CurrentUnitOfWork.isStarted()) {
                // once the batch committed (a batch rolled back and retried counts once), in the events' order: the unit
                // of work runs its after-commit handlers last registered first, so the batch registers one handler
                CurrentUnitOfWork.get().getOrComputeResource(TOLD_AFTER_COMMIT, key -> {
                    List<Runnable> batch = new ArrayList<>();
                    CurrentUnitOfWork.get().afterCommit(u -> batch.forEach(Runnable::run));
                    return batch;
                }).add(tell);
            } else {
                tell.run();
            }
        }
    }

    @ResetHandler
    void reset() {
        rows.deleteAllInBatch();
        index.clearRuleCounts();
        listing.clearCounts();
    }

    @QueryHandler
    MachineDetail handle(FindMachine query) {
        return rows.findById(query.machineId().toString()).map(this::read).orElse(null);
    }

    @QueryHandler
    MachinePage handle(ListMachines query) {
        return listing.page(query, detail -> MachineSummary.of(read("an inventory row", detail)));
    }

    @QueryHandler
    MachineCounts handle(CountMachines query) {
        return listing.countByState(query.nodeClass(), query.pool());
    }

    /** Every row's detail, ordered by id: lets a test compare a rebuilt projection with the live one. */
    public List<MachineDetail> snapshot() {
        return rows.findAll(org.springframework.data.domain.Sort.by("machineId")).stream().map(this::read).toList();
    }

    private MachineDetail read(MachineRow row) {
        return read("inventory row " + row.machineId(), row.detail());
    }

    private MachineDetail read(String where, String detail) {
        try {
            return json.readValue(detail, MachineDetail.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(where + " holds unreadable JSON", e);
        }
    }

    private String write(MachineDetail detail) {
        try {
            return json.writeValueAsString(detail);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise machine " + detail.machineId(), e);
        }
    }
}
