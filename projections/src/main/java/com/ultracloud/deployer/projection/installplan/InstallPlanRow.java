package com.ultracloud.deployer.projection.installplan;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** JPA row of the install-plan read model; the plan itself is JSON. */
@Entity
@Table(name = "install_plan")
class InstallPlanRow {

    @Id
    @Column(name = "machine_id", length = 36)
    private String machineId;
    @Column(name = "plan_id", nullable = false, length = 64)
    private String planId;
    @Column(name = "status", nullable = false, length = 32)
    private String status;
    @Column(name = "plan_json", nullable = false, columnDefinition = "text")
    private String planJson;
    @Column(name = "issued_at", nullable = false)
    private Instant issuedAt;
    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;
    @Column(name = "version", nullable = false)
    private long version;

    protected InstallPlanRow() {
    }

    InstallPlanRow(String machineId) {
        this.machineId = machineId;
    }

    void issue(String planId, String planJson, Instant at, long version) {
        this.planId = planId;
        this.planJson = planJson;
        this.status = "issued";
        this.issuedAt = at;
        this.updatedAt = at;
        this.version = version;
    }

    void status(String status, Instant at, long version) {
        this.status = status;
        this.updatedAt = at;
        this.version = version;
    }

    /** The machine's event {@code version} was folded (it changed nothing here). */
    void seen(long version) {
        this.version = version;
    }

    String machineId() {
        return machineId;
    }

    String planId() {
        return planId;
    }

    String status() {
        return status;
    }

    String planJson() {
        return planJson;
    }

    Instant issuedAt() {
        return issuedAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    long version() {
        return version;
    }
}
