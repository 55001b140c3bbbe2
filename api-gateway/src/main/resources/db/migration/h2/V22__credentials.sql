-- Credentials at rest (gateway.credentials, DESIGN §5). Private keys only sealed (AES-256-GCM under the
-- key-encryption key); install tokens only as SHA-256 hashes.

-- The cluster CA: one row (id 'cluster'); its private key sealed, bound to the certificate's fingerprint.
create table cluster_ca (
    id varchar(32) not null,
    certificate_pem clob not null,
    sealed_private_key varbinary(65536) not null,
    kek_id varchar(16) not null,
    created_at timestamp with time zone not null,
    primary key (id)
);

-- A machine's current bootstrap secrets (one row per machine; a new plan replaces the row, reprovision
-- and retire delete it). Delivered only to the holder of the install token whose hash is token_hash.
create table sealed_secret (
    machine_id varchar(36) not null,
    plan_id varchar(64) not null,
    sealed_tls_key varbinary(65536) not null,
    sealed_ssh_key varbinary(65536) not null,
    certificate_pem clob not null,
    ca_certificate_pem clob not null,
    ssh_public_key varchar(1024) not null,
    token_hash varchar(80) not null,
    token_expires_at timestamp with time zone not null,
    revoked boolean not null,
    plan_json clob not null,
    created_at timestamp with time zone not null,
    updated_at timestamp with time zone not null,
    primary key (machine_id)
);

create unique index idx_sealed_secret_token on sealed_secret (token_hash);
