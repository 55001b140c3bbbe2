/**
 * The Java model of the cluster-state document that {@code nix/lib/cluster-schema.nix} exports
 * ({@code clusterState}) and {@code PUT /api/v1/cluster/intent} imports verbatim. Field names follow
 * the JSON exactly; unknown fields are ignored so the schema can grow.
 */
package com.ultracloud.deployer.machine.api.intent;
