-- Inventory: indexed answers to what enrollment asks about the fleet (issue 9, "constant work per
-- request"): who holds a hostname, how many machines a rule assigned, and the lowest free index of
-- a hostname pattern. Each is one indexed lookup instead of reading and decoding every row.

alter table inventory_machine add column matched_rule varchar(255);
-- the hostname split at its last run of digits: wk-007 -> stem 'wk-{#}', slot 7, pad 3 (HostnamePattern.slotOf)
alter table inventory_machine add column host_stem varchar(255);
alter table inventory_machine add column host_slot bigint;
alter table inventory_machine add column host_slot_pad integer;
-- machines waiting for enrollment are taken oldest discovery first (EnrollmentPolicy, on a new intent)
alter table inventory_machine add column discovered_at timestamp(6) with time zone;

create index idx_inventory_hostname on inventory_machine (hostname);
create index idx_inventory_rule_hostname on inventory_machine (matched_rule, hostname);
create index idx_inventory_host_slot on inventory_machine (host_stem, host_slot);
-- the holes retirements leave in a pattern's run of held indexes
create index idx_inventory_state_host_slot on inventory_machine (state, host_stem, host_slot);
create index idx_inventory_state_discovered on inventory_machine (state, discovered_at, machine_id);

-- how many live machines each node or rule assigned a hostname to (a rule's maxCount is checked
-- against it): kept by the inventory projection in the transaction that changes the row
create table inventory_rule_count (
    matched_rule varchar(255) not null,
    machines bigint not null,
    primary key (matched_rule)
);

-- The new columns are filled by the inventory projection: rebuild it from the event store (its
-- processor starts again from the first event when it has no token, as after a replay).
delete from inventory_machine;
delete from token_entry where processor_name = 'inventory';
