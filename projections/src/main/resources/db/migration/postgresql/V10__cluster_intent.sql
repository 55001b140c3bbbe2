-- Intent read model: the cluster intent in force (projections/intent), one row.

create table cluster_intent (
    id varchar(16) not null,
    cluster_id varchar(255),
    generation bigint not null,
    sha256 varchar(64) not null,
    imported_at timestamp(6) with time zone not null,
    document text not null,
    primary key (id)
);
