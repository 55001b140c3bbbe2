-- Install-plan read model (projections/installplan): a machine's current plan, without secrets.

create table install_plan (
    machine_id varchar(36) not null,
    plan_id varchar(64) not null,
    status varchar(32) not null,
    plan_json text not null,
    issued_at timestamp(6) with time zone not null,
    updated_at timestamp(6) with time zone not null,
    version bigint not null,
    primary key (machine_id)
);
