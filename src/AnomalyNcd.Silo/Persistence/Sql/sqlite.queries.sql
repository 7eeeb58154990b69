-- Query texts the Orleans ADO.NET providers look up in OrleansQuery, SQLite dialect.
-- Each block starts with a "-- QueryKey: <key>" line; DatabaseSchema stores the text that follows.
-- Parameter names and result column names are the providers' contract (Orleans 10.4.2).
-- SQLite serialises writers per database file and the embedded target runs one silo, so the
-- two-statement membership changes below (change a row, then bump the version) are not raced.

-- QueryKey: InsertMembershipVersionKey
INSERT INTO anomalyncd_membership_version (cluster_id, version, changed_at)
VALUES (@DeploymentId, 0, strftime('%Y-%m-%d %H:%M:%f', 'now'))
ON CONFLICT (cluster_id) DO NOTHING;
SELECT changes() > 0 AS Inserted;

-- QueryKey: InsertMembershipKey
INSERT INTO anomalyncd_membership
    (cluster_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
SELECT cluster_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
FROM anomalyncd_membership_version
WHERE cluster_id = @DeploymentId AND version = @Version
ON CONFLICT DO NOTHING;
UPDATE anomalyncd_membership_version
SET version = version + 1, changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE cluster_id = @DeploymentId AND version = @Version AND changes() > 0;
SELECT changes() > 0 AS Inserted;

-- QueryKey: UpdateMembershipKey
UPDATE anomalyncd_membership
SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
  AND EXISTS (SELECT 1 FROM anomalyncd_membership_version
              WHERE cluster_id = @DeploymentId AND version = @Version);
UPDATE anomalyncd_membership_version
SET version = version + 1, changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE cluster_id = @DeploymentId AND version = @Version AND changes() > 0;
SELECT changes() > 0 AS Updated;

-- QueryKey: UpdateIAmAlivetimeKey
UPDATE anomalyncd_membership
SET i_am_alive_time = @IAmAliveTime
WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation;

-- QueryKey: GatewaysQueryKey
SELECT address AS Address, proxy_port AS ProxyPort, generation AS Generation
FROM anomalyncd_membership
WHERE cluster_id = @DeploymentId AND status = @Status AND proxy_port > 0;

-- QueryKey: MembershipReadRowKey
SELECT v.version AS Version,
       m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status,
       m.proxy_port AS ProxyPort, m.suspect_times AS SuspectTimes,
       m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
FROM anomalyncd_membership_version AS v
LEFT JOIN anomalyncd_membership AS m
       ON m.cluster_id = v.cluster_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.cluster_id = @DeploymentId;

-- QueryKey: MembershipReadAllKey
SELECT v.version AS Version,
       m.address AS Address, m.port AS Port, m.generation AS Generation,
       m.silo_name AS SiloName, m.host_name AS HostName, m.status AS Status,
       m.proxy_port AS ProxyPort, m.suspect_times AS SuspectTimes,
       m.start_time AS StartTime, m.i_am_alive_time AS IAmAliveTime
FROM anomalyncd_membership_version AS v
LEFT JOIN anomalyncd_membership AS m ON m.cluster_id = v.cluster_id
WHERE v.cluster_id = @DeploymentId;

-- QueryKey: DeleteMembershipTableEntriesKey
DELETE FROM anomalyncd_membership WHERE cluster_id = @DeploymentId;
DELETE FROM anomalyncd_membership_version WHERE cluster_id = @DeploymentId;

-- QueryKey: CleanupDefunctSiloEntriesKey
-- Status 6 is SiloStatus.Dead.
DELETE FROM anomalyncd_membership
WHERE cluster_id = @DeploymentId AND status = 6 AND i_am_alive_time < @IAmAliveTime;

-- QueryKey: CleanupDefunctSiloEntryKey
-- The provider decided this dead row is old enough; delete it only if nobody touched it since.
DELETE FROM anomalyncd_membership
WHERE cluster_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6 AND start_time = @StartTime AND i_am_alive_time = @IAmAliveTime
  AND suspect_times IS @SuspectTimes;

-- QueryKey: ReadFromStorageKey
SELECT payload_binary AS PayloadBinary, version AS Version
FROM anomalyncd_grain_state
WHERE service_id = @ServiceId
  AND grain_type_hash = @GrainTypeHash AND grain_type = @GrainTypeString
  AND grain_id_hash = @GrainIdHash AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension = COALESCE(@GrainIdExtensionString, '');

-- QueryKey: WriteToStorageKey
-- A grain without an ETag may only create the row; with one it may only advance the row it read
-- (a missing row then inserts nothing). NULL tells the provider the versions disagreed.
INSERT INTO anomalyncd_grain_state
    (service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0, grain_id_n1,
     grain_id_extension, version, payload_binary, modified_at)
SELECT @ServiceId, @GrainTypeHash, @GrainTypeString, @GrainIdHash, @GrainIdN0, @GrainIdN1,
       COALESCE(@GrainIdExtensionString, ''), 1, @PayloadBinary, strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE @GrainStateVersion IS NULL
   OR EXISTS (SELECT 1 FROM anomalyncd_grain_state
              WHERE service_id = @ServiceId
                AND grain_type_hash = @GrainTypeHash AND grain_type = @GrainTypeString
                AND grain_id_hash = @GrainIdHash AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
                AND grain_id_extension = COALESCE(@GrainIdExtensionString, ''))
ON CONFLICT DO UPDATE
SET version = version + 1, payload_binary = excluded.payload_binary, modified_at = excluded.modified_at
WHERE @GrainStateVersion IS NOT NULL AND version = @GrainStateVersion;
SELECT CASE WHEN changes() = 0 THEN NULL
            WHEN @GrainStateVersion IS NULL THEN 1
            ELSE @GrainStateVersion + 1 END AS NewGrainStateVersion;

-- QueryKey: ClearStorageKey
-- Keeps the row (and advances its version) so a later write still needs the right ETag.
UPDATE anomalyncd_grain_state
SET version = version + 1, payload_binary = NULL, modified_at = strftime('%Y-%m-%d %H:%M:%f', 'now')
WHERE service_id = @ServiceId
  AND grain_type_hash = @GrainTypeHash AND grain_type = @GrainTypeString
  AND grain_id_hash = @GrainIdHash AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension = COALESCE(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion;
SELECT CASE WHEN changes() = 0 THEN NULL ELSE @GrainStateVersion + 1 END AS Version;

-- QueryKey: DeleteStorageKey
-- Used when DeleteStateOnClear is set: removes the row; answers a number unlike the ETag on success.
DELETE FROM anomalyncd_grain_state
WHERE service_id = @ServiceId
  AND grain_type_hash = @GrainTypeHash AND grain_type = @GrainTypeString
  AND grain_id_hash = @GrainIdHash AND grain_id_n0 = @GrainIdN0 AND grain_id_n1 = @GrainIdN1
  AND grain_id_extension = COALESCE(@GrainIdExtensionString, '')
  AND version = @GrainStateVersion;
SELECT CASE WHEN changes() = 0 THEN NULL ELSE @GrainStateVersion + 1 END AS Version;

-- QueryKey: UpsertReminderRowKey
INSERT INTO anomalyncd_reminder
    (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = excluded.start_time, period_ms = excluded.period_ms,
    grain_hash = excluded.grain_hash, version = version + 1
RETURNING version AS Version;

-- QueryKey: ReadReminderRowsKey
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM anomalyncd_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId;

-- QueryKey: ReadReminderRowKey
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM anomalyncd_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName;

-- QueryKey: ReadRangeRows1Key
-- The ring range (BeginHash, EndHash] does not wrap in signed order.
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM anomalyncd_reminder
WHERE service_id = @ServiceId AND grain_hash > @BeginHash AND grain_hash <= @EndHash;

-- QueryKey: ReadRangeRows2Key
-- The ring range (BeginHash, EndHash] wraps around in signed order.
SELECT grain_id AS GrainId, reminder_name AS ReminderName, start_time AS StartTime,
       period_ms AS Period, version AS Version
FROM anomalyncd_reminder
WHERE service_id = @ServiceId AND (grain_hash > @BeginHash OR grain_hash <= @EndHash);

-- QueryKey: DeleteReminderRowKey
DELETE FROM anomalyncd_reminder
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
  AND version = @Version;
SELECT changes() > 0 AS Deleted;

-- QueryKey: DeleteReminderRowsKey
DELETE FROM anomalyncd_reminder WHERE service_id = @ServiceId;
