-- Plan secrets sealed to the installer (docs/bootstrap.md) and node certificates as credentials (DESIGN §10).

-- The raw X25519 public key of the installer the current install token was handed to: the plan's secrets
-- are sealed to it when the token's holder fetches the plan. Public, but kept out of events (they carry
-- its fingerprint).
alter table sealed_secret add column installer_public_key varbinary(64);

-- The plan's progress token, sealed under the KEK (AES-256-GCM, bound to machine:<id>:progress-token): it
-- travels only inside the sealed plan secrets, and progress reports must present it (X-Progress-Token), so
-- a copied install token can neither read the plan nor report on it.
alter table sealed_secret add column sealed_progress_token varbinary(1024);

-- Every node TLS certificate the cluster CA issued, by serial (lowercase hex): the agent API maps a client
-- certificate to its machine here, and refuses it once revoked (superseded by a newer plan, installer
-- rebound, hardware changed, reprovisioned, retired).
create table node_certificate (
    serial varchar(64) not null,
    machine_id varchar(36) not null,
    plan_id varchar(64) not null,
    fingerprint varchar(80) not null,
    not_after timestamp with time zone not null,
    issued_at timestamp with time zone not null,
    revoked_at timestamp with time zone,
    revoked_reason varchar(200),
    primary key (serial)
);

create index idx_node_certificate_machine on node_certificate (machine_id);
