-- AnomalyNcd schema, version 4, SQLite: drops the (service_id, grain_type) index version 2 added, as on
-- PostgreSQL (where the planner picked it over the primary key for point reads on a growing table). Both
-- dialects keep the same indexes.

DROP INDEX IF EXISTS anomalyncd_grain_state_by_type;
