-- Fleet-wide unique values a live machine holds alone (issue 14, "uniqueness in the write side";
-- ADR 0007): its hostname and its node id. Write-side state, not a read model: a row is inserted by the
-- Machine aggregate's commission (gateway.claims.JdbcNodeClaims) in the transaction that appends its
-- NodeAssigned event, and deleted with MachineRetired, so the primary key refuses a second holder
-- whatever the number of gateways. A projection replay never touches it.
create table node_claim (
    kind varchar(16) not null,           -- 'hostname' or 'node-id'
    claimed_value varchar(255) not null,
    machine_id varchar(36) not null,
    claimed_at timestamp(6) with time zone not null,
    primary key (kind, claimed_value)
);

-- a machine's own claims (released on retire, replaced on a re-commission under another name)
create index idx_node_claim_machine on node_claim (machine_id);

-- Existing databases: the claims of the machines assigned before this migration are taken from the event
-- store (NodeAssigned and MachineRetired, in order) once, by the first gateway that starts
-- (JdbcNodeClaims.backfill), which clears this flag in the same transaction. A new database has no events:
-- the backfill finds nothing.
create table node_claim_backfill (
    id integer not null,
    pending boolean not null,
    primary key (id)
);
insert into node_claim_backfill (id, pending) values (1, true);
