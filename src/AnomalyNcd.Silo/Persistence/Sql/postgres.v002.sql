-- AnomalyNcd schema, version 2, PostgreSQL: grain state becomes queryable as JSON.
-- The provider still reads and writes payload_binary; payload_json is derived from it so operators
-- can query state with jsonb operators (e.g. payload_json ->> 'Status').

-- jsonb when the payload is UTF-8 JSON (the default Orleans storage serialiser writes JSON), NULL
-- otherwise, so a binary serialiser keeps working.
CREATE OR REPLACE FUNCTION anomalyncd_payload_as_jsonb(payload bytea) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
    IF payload IS NULL THEN
        RETURN NULL;
    END IF;
    RETURN convert_from(payload, 'UTF8')::jsonb;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$fn$;

ALTER TABLE anomalyncd_grain_state
    ADD COLUMN payload_json jsonb GENERATED ALWAYS AS (anomalyncd_payload_as_jsonb(payload_binary)) STORED;

CREATE INDEX anomalyncd_grain_state_by_type ON anomalyncd_grain_state (service_id, grain_type);
