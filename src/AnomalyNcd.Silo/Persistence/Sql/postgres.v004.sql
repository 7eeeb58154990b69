-- AnomalyNcd schema, version 4, PostgreSQL: drop the (service_id, grain_type) index that version 2 added for
-- ad hoc queries by grain type. While a table grows faster than autovacuum re-analyses it, the planner rates
-- that index as good as the primary key for the provider's point reads and then walks every row of the grain
-- type: measured at about 1.2 ms of database CPU per image grain activation with 5 000 images stored, growing
-- with the line. Point reads and writes go through the primary key again; a query by grain type on the view
-- scans the table, which is fine for the occasional person asking.

DROP INDEX IF EXISTS anomalyncd_grain_state_by_type;
