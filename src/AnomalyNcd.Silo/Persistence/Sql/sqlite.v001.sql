-- AnomalyNcd schema, version 1, SQLite (the embedded single-silo default).
-- Written for this product. The Orleans ADO.NET providers find their SQL by key in OrleansQuery
-- (filled from sqlite.queries.sql by DatabaseSchema); the tables below are ours.
-- Timestamps are UTC text as Microsoft.Data.Sqlite writes DateTime ('yyyy-MM-dd HH:mm:ss.FFFFFFF').

CREATE TABLE IF NOT EXISTS anomalyncd_schema (
    version    INTEGER NOT NULL PRIMARY KEY,
    applied_at TEXT    NOT NULL
);

CREATE TABLE OrleansQuery (
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

CREATE TABLE anomalyncd_membership_version (
    cluster_id TEXT    NOT NULL PRIMARY KEY,
    version    INTEGER NOT NULL,
    changed_at TEXT    NOT NULL
);

CREATE TABLE anomalyncd_membership (
    cluster_id      TEXT    NOT NULL REFERENCES anomalyncd_membership_version (cluster_id) ON DELETE CASCADE,
    address         TEXT    NOT NULL,
    port            INTEGER NOT NULL,
    generation      INTEGER NOT NULL,
    silo_name       TEXT    NOT NULL,
    host_name       TEXT    NOT NULL,
    status          INTEGER NOT NULL,
    proxy_port      INTEGER NULL,
    suspect_times   TEXT    NULL,
    start_time      TEXT    NOT NULL,
    i_am_alive_time TEXT    NOT NULL,
    PRIMARY KEY (cluster_id, address, port, generation)
);

-- Grain state as the provider reads and writes it (version 2 adds a JSON view of the payload).
CREATE TABLE anomalyncd_grain_state (
    service_id         TEXT    NOT NULL,
    grain_type_hash    INTEGER NOT NULL,
    grain_type         TEXT    NOT NULL,
    grain_id_hash      INTEGER NOT NULL,
    grain_id_n0        INTEGER NOT NULL,
    grain_id_n1        INTEGER NOT NULL,
    -- '' when the grain key has no string part (NULL would defeat the primary key).
    grain_id_extension TEXT    NOT NULL,
    version            INTEGER NOT NULL,
    payload_binary     BLOB    NULL,
    modified_at        TEXT    NOT NULL,
    PRIMARY KEY (service_id, grain_type_hash, grain_id_hash, grain_id_n0, grain_id_n1, grain_type, grain_id_extension)
);

CREATE TABLE anomalyncd_reminder (
    service_id    TEXT    NOT NULL,
    grain_id      TEXT    NOT NULL,
    reminder_name TEXT    NOT NULL,
    start_time    TEXT    NOT NULL,
    period_ms     INTEGER NOT NULL,
    grain_hash    INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX anomalyncd_reminder_by_hash ON anomalyncd_reminder (service_id, grain_hash);
