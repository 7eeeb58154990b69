-- AnomalyNcd schema, version 3, SQLite: the JSON form of grain state moves from a virtual column to a view,
-- anomalyncd_grain_state_json, the same name and shape as on PostgreSQL (where a stored column cost a JSON
-- parse per write). State is written in a binary format by default (Persistence:StateFormat); rows written
-- as JSON (they start with '{') show their text in payload_json, binary rows show NULL.

ALTER TABLE anomalyncd_grain_state DROP COLUMN payload_json;

CREATE VIEW anomalyncd_grain_state_json AS
SELECT service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0, grain_id_n1, grain_id_extension,
       version, modified_at,
       CASE WHEN substr(payload_binary, 1, 1) = X'7B' AND json_valid(CAST(payload_binary AS TEXT))
            THEN CAST(payload_binary AS TEXT) END AS payload_json
FROM anomalyncd_grain_state;
