-- Inventory read model: one row per machine (projections/inventory).

create table inventory_machine (
    last_seen timestamp(6) with time zone,
    updated_at timestamp(6) with time zone,
    version bigint not null,
    state varchar(32) not null,
    machine_id varchar(36) not null,
    labels varchar(4000),
    search_text varchar(4000),
    detail text not null,
    hostname varchar(255),
    node_class varchar(255),
    node_id varchar(255),
    pool varchar(255),
    primary key (machine_id)
);

create index idx_inventory_state on inventory_machine (state);

create index idx_inventory_class_pool on inventory_machine (node_class, pool);
