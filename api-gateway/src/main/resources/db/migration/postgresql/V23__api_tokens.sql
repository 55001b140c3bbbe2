-- Operator API tokens (gateway.security.ApiTokens, docs/security.md). The secret is never stored: only
-- its SHA-256 ('sha256:' + hex). A name is used once, ever: revoked and expired tokens stay, so that
-- 'token:<name>' in an event's metadata names one token.
create table api_token (
    name varchar(64) not null,
    token_hash varchar(80) not null,
    role varchar(16) not null,
    created_at timestamp with time zone not null,
    created_by varchar(256) not null,
    expires_at timestamp with time zone not null,
    revoked_at timestamp with time zone,
    revoked_by varchar(256),
    primary key (name)
);

create unique index idx_api_token_hash on api_token (token_hash);
