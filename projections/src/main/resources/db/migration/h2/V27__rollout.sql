-- Host rollout (issue 10): the rollout read model (projections/rollout) and the inventory's health column.

-- the nix-agent's health as the inventory folds it (unknown, healthy, unhealthy): the rollout saga's
-- RolloutTargets reads it with the lifecycle state, by index, without the JSON detail
alter table inventory_machine add column health varchar(16);
update inventory_machine set health = 'unknown';

-- one row per host deployment; counts by outcome come from rollout_machine (grouped by its key prefix)
create table rollout_deployment (
    deployment_id varchar(100) not null,
    generation bigint not null,
    state varchar(16) not null,
    spec text not null,
    max_unavailable integer,
    reason varchar(2000),
    created_at timestamp(6) with time zone not null,
    updated_at timestamp(6) with time zone not null,
    version bigint not null,
    primary key (deployment_id)
);
create index idx_rollout_deployment_state on rollout_deployment (state, generation);
create index idx_rollout_deployment_created on rollout_deployment (created_at, deployment_id);

-- one row per (deployment, machine) it targets, skipped or superseded: the machine's phase in this
-- deployment (queued, activating, rolled-out, failed, superseded, skipped), desired vs running system
-- and the agent's last report about this deployment
create table rollout_machine (
    deployment_id varchar(100) not null,
    machine_id varchar(36) not null,
    position integer not null,
    phase varchar(16) not null,
    reason varchar(2000),
    desired_system varchar(1000),
    running_system varchar(1000),
    last_result varchar(16),
    last_message varchar(2000),
    updated_at timestamp(6) with time zone not null,
    primary key (deployment_id, machine_id)
);
-- the unfinished claims on a machine (RolloutTargets.unfinishedClaims)
create index idx_rollout_machine_machine on rollout_machine (machine_id, phase);
