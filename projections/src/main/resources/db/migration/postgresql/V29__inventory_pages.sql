-- Inventory pages at fleet scale (issue 9, "big fleets"): a page is read in the order of an index and
-- its total comes from counts the projection keeps, so neither grows with the fleet.

-- every sort is (field, machine_id); the default one (hostname) and the same under a state filter are
-- read straight off these indexes (InventoryListing)
drop index idx_inventory_hostname;
create index idx_inventory_hostname_id on inventory_machine (hostname, machine_id);
create index idx_inventory_state_hostname_id on inventory_machine (state, hostname, machine_id);

-- how many machines are in each state, class and pool ('' for none): kept by the inventory projection in
-- the transaction that writes the row, summed for the total of a page filtered on those fields only
create table inventory_state_count (
    state varchar(32) not null,
    node_class varchar(255) not null,
    pool varchar(255) not null,
    machines bigint not null,
    primary key (state, node_class, pool)
);

insert into inventory_state_count (state, node_class, pool, machines)
select state, coalesce(node_class, ''), coalesce(pool, ''), count(*) from inventory_machine
group by state, coalesce(node_class, ''), coalesce(pool, '');

-- the free-text filter (q) is a LIKE '%text%' on search_text: a trigram index answers it without reading
-- every row (pg_trgm ships with PostgreSQL and is a trusted extension: the database owner may create it)
create extension if not exists pg_trgm;
create index idx_inventory_search_trgm on inventory_machine using gin (search_text gin_trgm_ops);
