package com.ultracloud.deployer.projection.intent;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The one row of the intent in force. JPA needs a mutable class; nothing outside this package sees it. */
@Entity
@Table(name = "cluster_intent")
class IntentRow {

    static final String ID = "current";

    @Id
    @Column(name = "id", length = 16)
    private String id = ID;
    @Column(name = "cluster_id")
    private String clusterId;
    @Column(name = "generation", nullable = false)
    private long generation;
    @Column(name = "sha256", nullable = false, length = 64)
    private String sha256;
    @Column(name = "imported_at", nullable = false)
    private Instant importedAt;
    @Column(name = "document", nullable = false, columnDefinition = "text")
    private String document;

    protected IntentRow() {
    }

    IntentRow(String clusterId, long generation, String sha256, Instant importedAt, String document) {
        this.clusterId = clusterId;
        this.generation = generation;
        this.sha256 = sha256;
        this.importedAt = importedAt;
        this.document = document;
    }

    long generation() {
        return generation;
    }

    String sha256() {
        return sha256;
    }

    Instant importedAt() {
        return importedAt;
    }

    String document() {
        return document;
    }
}
