-- AnomalyNcd schema, version 1, PostgreSQL.
-- Written for this product. The Orleans ADO.NET providers find their SQL by key in OrleansQuery
-- (filled from postgres.queries.sql by DatabaseSchema); the tables below are ours.

CREATE TABLE IF NOT EXISTS anomalyncd_schema (
    version    integer   NOT NULL PRIMARY KEY,
    applied_at timestamp NOT NULL
);

-- Unquoted on purpose: the providers read it as `SELECT QueryKey, QueryText FROM OrleansQuery`.
CREATE TABLE OrleansQuery (
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);

-- Membership: one version row per cluster (optimistic concurrency for every membership change) ...
CREATE TABLE anomalyncd_membership_version (
    cluster_id varchar(150) NOT NULL PRIMARY KEY,
    version    integer      NOT NULL,
    changed_at timestamp    NOT NULL
);

-- ... and one row per silo incarnation (address, port, generation).
CREATE TABLE anomalyncd_membership (
    cluster_id      varchar(150) NOT NULL REFERENCES anomalyncd_membership_version (cluster_id) ON DELETE CASCADE,
    address         varchar(45)  NOT NULL,
    port            integer      NOT NULL,
    generation      integer      NOT NULL,
    silo_name       varchar(150) NOT NULL,
    host_name       varchar(150) NOT NULL,
    status          integer      NOT NULL,
    proxy_port      integer      NULL,
    suspect_times   text         NULL,
    start_time      timestamp    NOT NULL,
    i_am_alive_time timestamp    NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

-- Grain state as the provider reads and writes it (version 2 adds a JSON view of the payload).
CREATE TABLE anomalyncd_grain_state (
    service_id         varchar(150) NOT NULL,
    grain_type_hash    integer      NOT NULL,
    grain_type         text         NOT NULL,
    grain_id_hash      integer      NOT NULL,
    grain_id_n0        bigint       NOT NULL,
    grain_id_n1        bigint       NOT NULL,
    -- '' when the grain key has no string part (NULL would defeat the primary key).
    grain_id_extension text         NOT NULL,
    version            integer      NOT NULL,
    payload_binary     bytea        NULL,
    modified_at        timestamp    NOT NULL,
    PRIMARY KEY (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_type, grain_id_extension)
);

-- Reminders; grain_hash is the grain's uniform hash as a signed integer (the providers' range queries use it).
CREATE TABLE anomalyncd_reminder (
    service_id    varchar(150) NOT NULL,
    grain_id      varchar(1024) NOT NULL,
    reminder_name varchar(150) NOT NULL,
    start_time    timestamp    NOT NULL,
    period_ms     bigint       NOT NULL,
    grain_hash    integer      NOT NULL,
    version       integer      NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX anomalyncd_reminder_by_hash ON anomalyncd_reminder (service_id, grain_hash);
