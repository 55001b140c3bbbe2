-- The gateway replicas alive on this database (issue 14, "replicas"; ADR 0009): each writes its row every
-- deployer.replicas.heartbeat and deletes it when it stops. The number of rows seen recently is the N by which
-- every replica divides the segments of a processing group (gateway.replicas.ReplicaRoster), so that Axon's
-- pooled processors split the work (MaxSegmentProvider) and take a dead replica's share over.
create table gateway_replica (
    replica_id varchar(64) not null,
    started_at timestamp(6) with time zone not null,
    last_seen timestamp(6) with time zone not null,
    primary key (replica_id)
);
