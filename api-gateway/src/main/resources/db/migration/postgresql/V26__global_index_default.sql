-- Axon's JDBC storage engine (ADR 0006) inserts events without global_index: the column takes it from
-- the same sequence the JPA mapping used (increment 1, so no gaps of 50).
alter table domain_event_entry alter column global_index set default nextval('domain_event_entry_seq');
