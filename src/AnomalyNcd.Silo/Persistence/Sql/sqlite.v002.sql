-- AnomalyNcd schema, version 2, SQLite: grain state becomes queryable as JSON.
-- The provider still reads and writes payload_binary; payload_json shows the same bytes as JSON text
-- when they are JSON (the default Orleans storage serialiser), so json_extract works on it.

ALTER TABLE anomalyncd_grain_state
    ADD COLUMN payload_json TEXT GENERATED ALWAYS AS (
        CASE WHEN payload_binary IS NOT NULL AND json_valid(CAST(payload_binary AS TEXT))
             THEN CAST(payload_binary AS TEXT) END) VIRTUAL;

CREATE INDEX anomalyncd_grain_state_by_type ON anomalyncd_grain_state (service_id, grain_type);
