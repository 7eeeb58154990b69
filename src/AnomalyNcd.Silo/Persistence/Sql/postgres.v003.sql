-- AnomalyNcd schema, version 3, PostgreSQL: the JSON form of grain state is computed when read, not on every write.
-- Version 2 stored a generated jsonb column, so every state write parsed its payload (in a subtransaction);
-- that cost about 1 ms of database CPU per ingested image. State is now written in a binary format by default
-- (Persistence:StateFormat); rows written as JSON stay queryable through the view below.

ALTER TABLE anomalyncd_grain_state DROP COLUMN payload_json;

-- jsonb for a payload written as JSON (it starts with '{'), NULL for binary state and empty rows. Only a
-- payload that looks like JSON enters the block with an exception handler (one subtransaction), and only
-- when the view is read.
CREATE OR REPLACE FUNCTION anomalyncd_payload_as_jsonb(payload bytea) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
    IF payload IS NULL OR length(payload) = 0 OR get_byte(payload, 0) <> 123 THEN
        RETURN NULL;
    END IF;
    BEGIN
        RETURN convert_from(payload, 'UTF8')::jsonb;
    EXCEPTION WHEN others THEN
        RETURN NULL;
    END;
END
$fn$;

-- One row per stored grain state: the table's key, version and time, and the payload as jsonb (see above).
-- Query it like the table, e.g. SELECT payload_json ->> 'Status' FROM anomalyncd_grain_state_json WHERE grain_type = '…'.
CREATE VIEW anomalyncd_grain_state_json AS
SELECT service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0, grain_id_n1, grain_id_extension,
       version, modified_at, anomalyncd_payload_as_jsonb(payload_binary) AS payload_json
FROM anomalyncd_grain_state;
