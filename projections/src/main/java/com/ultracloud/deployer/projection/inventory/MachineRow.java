package com.ultracloud.deployer.projection.inventory;

import com.ultracloud.deployer.machine.domain.intent.HostnamePattern;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.springframework.data.domain.Persistable;

import java.time.Instant;

/**
 * The inventory row: indexed columns to filter on, and the whole detail as JSON. JPA needs a
 * mutable class here; nothing outside this package sees it.
 */
@Entity
@Table(name = "inventory_machine")
class MachineRow implements Persistable<String> {

    @Id
    @Column(name = "machine_id", length = 36)
    private String machineId;
    @Column(name = "state", nullable = false, length = 32)
    private String state;
    @Column(name = "hostname")
    private String hostname;
    @Column(name = "node_id")
    private String nodeId;
    @Column(name = "node_class")
    private String nodeClass;
    @Column(name = "pool")
    private String pool;
    /** {@code |key=value|key2=value2|}, so a label filter is one LIKE. */
    @Column(name = "labels", length = 4000)
    private String labels;
    /** Lower-case hostname, node id, serials and MACs, separated by spaces. */
    @Column(name = "search_text", length = 4000)
    private String searchText;
    /** The node or rule that assigned the hostname ({@code rule:<name>}, {@code node:<id>}); null when explicit. */
    @Column(name = "matched_rule")
    private String matchedRule;
    /** The hostname split at its last run of digits ({@link HostnamePattern#slotOf}): stem, index and padding. */
    @Column(name = "host_stem")
    private String hostStem;
    @Column(name = "host_slot")
    private Long hostSlot;
    @Column(name = "host_slot_pad")
    private Integer hostSlotPad;
    @Column(name = "discovered_at")
    private Instant discoveredAt;
    /** {@code unknown}, {@code healthy}, {@code unhealthy}: what the rollout counts as available (V27). */
    @Column(name = "health", length = 16)
    private String health;
    @Column(name = "last_seen")
    private Instant lastSeen;
    @Column(name = "updated_at")
    private Instant updatedAt;
    @Column(name = "version", nullable = false)
    private long version;
    @Column(name = "detail", nullable = false, columnDefinition = "text")
    private String detail;
    /** A row made by the projection is inserted with persist; merge would first SELECT it. */
    @Transient
    private boolean isNew;

    protected MachineRow() {
    }

    MachineRow(String machineId) {
        this.machineId = machineId;
        this.isNew = true;
    }

    @PostLoad
    @PostPersist
    void stored() {
        isNew = false;
    }

    @Override
    public String getId() {
        return machineId;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    void update(MachineDetail d, String detailJson) {
        state = d.state().name();
        hostname = d.hostname();
        matchedRule = d.assignment() == null ? null : d.assignment().matchedRule();
        HostnamePattern.Slot slot = HostnamePattern.slotOf(d.hostname()).orElse(null);
        hostStem = slot == null ? null : slot.stem();
        hostSlot = slot == null ? null : slot.index();
        hostSlotPad = slot == null ? null : slot.padding();
        nodeId = d.nodeId();
        nodeClass = d.nodeClass();
        pool = d.pool();
        labels = InventorySearch.labelsColumn(d.labels());
        searchText = InventorySearch.searchColumn(d);
        discoveredAt = d.discoveredAt();
        health = d.health() == null ? "unknown" : d.health().status();
        lastSeen = d.lastSeen();
        updatedAt = d.updatedAt();
        version = d.version();
        detail = detailJson;
    }

    String machineId() {
        return machineId;
    }

    long version() {
        return version;
    }

    String detail() {
        return detail;
    }
}
