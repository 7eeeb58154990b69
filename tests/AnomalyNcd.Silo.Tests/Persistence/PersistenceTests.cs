using System.Globalization;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Grains.Images;
using AnomalyNcd.Grains.Lines;
using AnomalyNcd.Silo.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Session;
using Orleans.Storage;
using Orleans.TestingHost;

namespace AnomalyNcd.Silo.Tests.Persistence;

/// <summary>
/// The real Orleans ADO.NET providers running our schema and query texts. Each database kind
/// derives from this class, so every test runs on SQLite and on PostgreSQL.
/// </summary>
public abstract class PersistenceTests
{
    /// <summary>A fresh, empty database of the kind under test.</summary>
    protected abstract Task<DatabaseTarget> NewDatabaseAsync();

    /// <summary>SQL that returns the persisted state's Text field read through the view anomalyncd_grain_state_json (one row in the database).</summary>
    protected abstract string StateTextFromJsonSql { get; }

    [Fact]
    public async Task WriteState_ReadsBackThenClears()
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target);
        var grain = cluster.Client.GetGrain<IStateTestGrain>("line-a");

        await grain.WriteAsync("hello", 3);
        var written = await grain.ReadAsync();
        await grain.WriteAsync("hello again", 4);
        var rewritten = await grain.ReadAsync();
        await grain.ClearAsync();
        var cleared = await grain.ReadAsync();

        Assert.Equal(new StateTestSnapshot("hello", 3, true, "1"), written);
        Assert.Equal(new StateTestSnapshot("hello again", 4, true, "2"), rewritten);
        Assert.Equal("", cleared.Text);
        Assert.Equal(0, cleared.Count);
        Assert.False(cleared.RecordExists);
        // The cleared row stays, without payload, one version on.
        Assert.Equal(1L, await CountAsync(target, "SELECT COUNT(*) FROM anomalyncd_grain_state WHERE payload_binary IS NULL AND version = 3"));
    }

    /// <summary>Whether the store queues grain-state writes in the process (SQLite has a single writer).</summary>
    protected abstract bool WritesQueuedInProcess { get; }

    [Fact]
    public async Task WriteState_FromManyGrainsAtOnce_EveryStateLandsAndReadsBack()
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target);
        var services = (cluster.GetActiveSilos().First() as InProcessSiloHandle ?? throw new InvalidOperationException("TestCluster silos are expected in-process")).SiloHost.Services;
        var grains = Enumerable.Range(0, 48).Select(i => cluster.Client.GetGrain<IStateTestGrain>($"many-{i}")).ToList();

        await Task.WhenAll(grains.Select((grain, i) => grain.WriteAsync($"text {i}", i)));
        await Task.WhenAll(grains.Select(grain => grain.DeactivateAsync()));
        var read = await Task.WhenAll(grains.Select(grain => grain.ReadAsync()));

        Assert.Equal(WritesQueuedInProcess, services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default) is SerializedWritesGrainStorage);
        Assert.Equal(WritesQueuedInProcess, services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME) is SerializedWritesGrainStorage);
        Assert.Equal(Enumerable.Range(0, 48).Select(i => $"text {i}"), read.Select(r => r.Text));
        Assert.All(read, r => Assert.Equal("1", r.ETag));
        Assert.Equal(48L, await CountAsync(target, "SELECT COUNT(*) FROM anomalyncd_grain_state WHERE payload_binary IS NOT NULL"));
    }

    [Fact]
    public async Task WriteState_WithAStaleETagIsRejected()
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target);
        // Without the test membership table every silo is a "secondary": take the first one.
        var silo = cluster.GetActiveSilos().First() as InProcessSiloHandle ?? throw new InvalidOperationException("TestCluster silos are expected in-process");
        var storage = silo.SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var grainId = GrainId.Create("stale-test", "line-d");
        var current = new GrainState<StateTestState>(new StateTestState { Text = "first" });
        await storage.WriteStateAsync("x", grainId, current);

        // A second writer that never read the row (no ETag), and one holding an old ETag.
        var blind = new GrainState<StateTestState>(new StateTestState { Text = "blind" });
        var old = new GrainState<StateTestState>(new StateTestState { Text = "old" }) { ETag = "0" };
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("x", grainId, blind));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("x", grainId, old));
        current.State = new StateTestState { Text = "second" };
        await storage.WriteStateAsync("x", grainId, current);
        var read = new GrainState<StateTestState>();
        await storage.ReadStateAsync("x", grainId, read);

        Assert.Equal("2", current.ETag);
        Assert.Equal("second", read.State?.Text);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task WriteState_InJsonFormatIsQueryableThroughTheView()
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target, stateFormat: StateFormat.Json);

        await cluster.Client.GetGrain<IStateTestGrain>("line-json").WriteAsync("queryable", 7);

        Assert.Equal("queryable", await ScalarAsync(target, StateTextFromJsonSql));
        Assert.False(StateSerializer.IsBinary(await SinglePayloadAsync(target)));
    }

    [Fact]
    public async Task WriteState_InBinaryFormatRoundTripsAndShowsNullInTheView()
    {
        var target = await InitialisedDatabaseAsync();
        var serviceId = "binary-" + Guid.NewGuid().ToString("N")[..8];
        await using (var cluster = await PersistenceCluster.StartAsync(target, serviceId: serviceId))
        {
            await cluster.Client.GetGrain<IStateTestGrain>("line-binary").WriteAsync("compact", 5);
        }

        await using var restarted = await PersistenceCluster.StartAsync(target, serviceId: serviceId);
        var reloaded = await restarted.Client.GetGrain<IStateTestGrain>("line-binary").ReadAsync();

        Assert.Equal(new StateTestSnapshot("compact", 5, true, "1"), reloaded);
        Assert.True(StateSerializer.IsBinary(await SinglePayloadAsync(target)));
        Assert.Null(await ScalarAsync(target, StateTextFromJsonSql));
        Assert.Equal(1L, await CountAsync(target, "SELECT COUNT(*) FROM anomalyncd_grain_state_json WHERE payload_json IS NULL"));
    }

    [Fact]
    public async Task WriteState_OfAnImageStateRoundTripsInBinaryThroughTheProvider()
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target);
        var services = (cluster.GetActiveSilos().First() as InProcessSiloHandle ?? throw new InvalidOperationException("TestCluster silos are expected in-process")).SiloHost.Services;
        var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var grainId = GrainId.Create("image-test", "line-i/img-1");
        // The same crop reference twice per region: shared references must survive the binary format too.
        var written = new ImageState { Result = LineImage("line-i", "img-1", "c1") with { Regions = [.. LineImage("line-i", "img-1", "c1").Regions, .. LineImage("line-i", "img-1", "c2").Regions] } };

        await storage.WriteStateAsync("image", grainId, new GrainState<ImageState>(written));
        var read = new GrainState<ImageState>();
        await storage.ReadStateAsync("image", grainId, read);

        var asJson = new StateSerializer(
            services.GetRequiredService<Serializer>(), services.GetRequiredService<SerializerSessionPool>(),
            ActivatorUtilities.CreateInstance<JsonGrainStorageSerializer>(services), StateFormat.Json);
        Assert.True(read.RecordExists);
        Assert.Equal(2, read.State!.Result!.Regions.Length);
        Assert.Equal(asJson.Serialize(written).ToString(), asJson.Serialize(read.State).ToString());
        var payload = await SinglePayloadAsync(target);
        Assert.True(StateSerializer.IsBinary(payload));
        Assert.True(payload.Length < asJson.Serialize(written).ToMemory().Length, $"binary {payload.Length} bytes, JSON {asJson.Serialize(written).ToMemory().Length}");
    }

    [Fact]
    public async Task State_WrittenAsJsonIsReadByABinarySiloThenRewrittenAsBinary()
    {
        var target = await InitialisedDatabaseAsync();
        var serviceId = "mixed-" + Guid.NewGuid().ToString("N")[..8];
        await using (var jsonSilo = await PersistenceCluster.StartAsync(target, serviceId: serviceId, stateFormat: StateFormat.Json))
        {
            await jsonSilo.Client.GetGrain<IStateTestGrain>("line-mixed").WriteAsync("from json", 2);
        }

        var jsonPayload = await SinglePayloadAsync(target);
        await using var binarySilo = await PersistenceCluster.StartAsync(target, serviceId: serviceId);
        var grain = binarySilo.Client.GetGrain<IStateTestGrain>("line-mixed");
        var readFromJson = await grain.ReadAsync();
        await grain.WriteAsync("now binary", 3);
        await grain.DeactivateAsync();
        var readFromBinary = await grain.ReadAsync();

        Assert.Equal((byte)'{', jsonPayload[0]);
        Assert.Equal(new StateTestSnapshot("from json", 2, true, "1"), readFromJson);
        Assert.Equal(new StateTestSnapshot("now binary", 3, true, "2"), readFromBinary);
        Assert.True(StateSerializer.IsBinary(await SinglePayloadAsync(target)));
        Assert.Null(await ScalarAsync(target, StateTextFromJsonSql));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadState_OfAGarbagePayloadFailsNamingTheGrain(bool withBinaryMarker)
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target);
        var grain = cluster.Client.GetGrain<IStateTestGrain>("line-garbage");
        await grain.WriteAsync("soon garbage", 1);
        await grain.DeactivateAsync();
        byte[] garbage = withBinaryMarker ? [.. StateSerializer.BinaryMarker, 0xFF, 0xFE, 0x13, 0x37] : [0x13, 0x37, 0xFF, 0x00];
        await ExecuteAsync(target, "UPDATE anomalyncd_grain_state SET payload_binary = @p0", garbage);

        var error = await Record.ExceptionAsync(() => grain.ReadAsync());

        Assert.NotNull(error);
        var text = error.ToString();
        Assert.Contains("line-garbage", text);
        Assert.Contains(withBinaryMarker ? "carries the binary state marker but does not deserialize" : "neither in the binary state format nor JSON", text);
    }

    [Fact]
    public async Task State_SurvivesDeactivationAndSiloRestart()
    {
        var target = await InitialisedDatabaseAsync();
        var serviceId = "restart-" + Guid.NewGuid().ToString("N")[..8];
        await using (var first = await PersistenceCluster.StartAsync(target, serviceId: serviceId))
        {
            var grain = first.Client.GetGrain<IStateTestGrain>("line-b");
            await grain.WriteAsync("kept", 11);
            await grain.DeactivateAsync();
            Assert.Equal(new StateTestSnapshot("kept", 11, true, "1"), await grain.ReadAsync());
        }

        await using var second = await PersistenceCluster.StartAsync(target, serviceId: serviceId);
        var reloaded = await second.Client.GetGrain<IStateTestGrain>("line-b").ReadAsync();

        Assert.Equal(new StateTestSnapshot("kept", 11, true, "1"), reloaded);
    }

    [Fact]
    public async Task Membership_TwoSilosAreActiveInTheTable()
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target, silos: 2);

        var hosts = await cluster.Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);

        Assert.Equal(2, hosts.Count);
        Assert.Equal(2L, await CountAsync(target, $"SELECT COUNT(*) FROM anomalyncd_membership WHERE status = {(int)SiloStatus.Active}"));
        Assert.True(await CountAsync(target, "SELECT MAX(version) FROM anomalyncd_membership_version") >= 2);
    }

    [Fact]
    public async Task Reminder_RegistersReadsBackAndUnregisters()
    {
        var target = await InitialisedDatabaseAsync();
        await using var cluster = await PersistenceCluster.StartAsync(target);
        var grain = cluster.Client.GetGrain<IReminderTestGrain>("line-c");

        await grain.RegisterAsync("recalibrate", TimeSpan.FromMinutes(2));
        var existed = await grain.ExistsAsync("recalibrate");
        var storedPeriod = await CountAsync(target, "SELECT period_ms FROM anomalyncd_reminder WHERE reminder_name = 'recalibrate'");
        await grain.UnregisterAsync("recalibrate");

        Assert.True(existed);
        Assert.Equal(120_000L, storedPeriod);
        Assert.False(await grain.ExistsAsync("recalibrate"));
        Assert.Equal(0L, await CountAsync(target, "SELECT COUNT(*) FROM anomalyncd_reminder"));
    }

    [Fact]
    public async Task Initialise_TwiceIsIdempotent()
    {
        var target = await NewDatabaseAsync();

        var first = await DatabaseSchema.InitialiseAsync(target);
        var second = await DatabaseSchema.InitialiseAsync(target);

        Assert.Equal(DatabaseSchema.CurrentVersion, first);
        Assert.Equal(DatabaseSchema.CurrentVersion, second);
        Assert.Equal(DatabaseSchema.CurrentVersion, await CountAsync(target, "SELECT COUNT(*) FROM anomalyncd_schema"));
        Assert.Equal(SchemaScripts.RequiredQueryKeys.Count, await CountAsync(target, "SELECT COUNT(*) FROM OrleansQuery"));
        await DatabaseSchema.EnsureCurrentAsync(target);
    }

    [Fact]
    public async Task Initialise_UpgradesAnOlderSchema()
    {
        var target = await NewDatabaseAsync();
        await DatabaseSchema.InitialiseAsync(target, 1, CancellationToken.None);
        var stale = await Assert.ThrowsAsync<SchemaOutOfDateException>(() => DatabaseSchema.EnsureCurrentAsync(target));

        var reached = await DatabaseSchema.InitialiseAsync(target);

        Assert.Equal(1, stale.FoundVersion);
        Assert.Equal(DatabaseSchema.CurrentVersion, reached);
        await DatabaseSchema.EnsureCurrentAsync(target);
        // Version 3 shows grain state as JSON through a view.
        Assert.Equal(0L, await CountAsync(target, "SELECT COUNT(payload_json) FROM anomalyncd_grain_state_json"));
    }

    [Fact]
    public async Task Initialise_UpgradesVersion2WithRowsLosingNothing()
    {
        // Rows as a version-2 silo wrote them: JSON state from the real provider, copied into a version-2 database.
        var source = await InitialisedDatabaseAsync();
        var serviceId = "upgrade-" + Guid.NewGuid().ToString("N")[..8];
        await using (var jsonSilo = await PersistenceCluster.StartAsync(source, serviceId: serviceId, stateFormat: StateFormat.Json))
        {
            await jsonSilo.Client.GetGrain<IStateTestGrain>("up-a").WriteAsync("alpha", 1);
            await jsonSilo.Client.GetGrain<IStateTestGrain>("up-b").WriteAsync("beta", 2);
            await jsonSilo.Client.GetGrain<IStateTestGrain>("up-b").WriteAsync("beta again", 3);
        }

        var rows = await ReadRowsAsync(source, $"SELECT {StateColumns} FROM anomalyncd_grain_state ORDER BY grain_id_extension");
        var target = await NewDatabaseAsync();
        await DatabaseSchema.InitialiseAsync(target, 2, CancellationToken.None);
        foreach (var row in rows)
        {
            await ExecuteAsync(target, $"INSERT INTO anomalyncd_grain_state ({StateColumns}) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9)", row);
        }

        Assert.Equal(2L, await CountAsync(target, "SELECT COUNT(payload_json) FROM anomalyncd_grain_state"));
        var reached = await DatabaseSchema.InitialiseAsync(target);

        var upgraded = await ReadRowsAsync(target, $"SELECT {StateColumns} FROM anomalyncd_grain_state ORDER BY grain_id_extension");
        Assert.Equal(DatabaseSchema.CurrentVersion, reached);
        Assert.Equal(rows.Count, upgraded.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i], upgraded[i]);
        }

        Assert.Equal(2L, await CountAsync(target, "SELECT COUNT(payload_json) FROM anomalyncd_grain_state_json"));
        await using var binarySilo = await PersistenceCluster.StartAsync(target, serviceId: serviceId);
        Assert.Equal(new StateTestSnapshot("alpha", 1, true, "1"), await binarySilo.Client.GetGrain<IStateTestGrain>("up-a").ReadAsync());
        Assert.Equal(new StateTestSnapshot("beta again", 3, true, "2"), await binarySilo.Client.GetGrain<IStateTestGrain>("up-b").ReadAsync());
    }

    [Fact]
    public async Task EnsureCurrent_FailsClearlyOnAnEmptyDatabase()
    {
        var target = await NewDatabaseAsync();

        var error = await Assert.ThrowsAsync<SchemaOutOfDateException>(() => DatabaseSchema.EnsureCurrentAsync(target));

        Assert.Equal(0, error.FoundVersion);
        Assert.Contains($"database {target.DisplayName} has no AnomalyNcd schema", error.Message);
        Assert.Contains("anomalyncd db init", error.Message);
    }

    [Fact]
    public async Task EnsureCurrent_FailsClearlyOnALoweredVersion()
    {
        var target = await InitialisedDatabaseAsync();
        await ExecuteAsync(target, $"DELETE FROM anomalyncd_schema WHERE version = {DatabaseSchema.CurrentVersion}");

        var error = await Assert.ThrowsAsync<SchemaOutOfDateException>(() => DatabaseSchema.EnsureCurrentAsync(target));

        var expected = $"database {target.DisplayName} has schema version {DatabaseSchema.CurrentVersion - 1}, this build needs {DatabaseSchema.CurrentVersion}; run `anomalyncd db init";
        Assert.StartsWith(expected, error.Message);
    }

    [Fact]
    public async Task LineImageRecords_SurviveARestartInFirstRecordedOrderAcrossChunks()
    {
        var target = await InitialisedDatabaseAsync();
        const string lineId = "chunked";
        var total = (2 * LineImageRecords.ChunkSize) + 5;
        var serviceId = "chunks-" + Guid.NewGuid().ToString("N");
        string[] before;
        await using (var cluster = await PersistenceCluster.StartAsync(target, serviceId: serviceId))
        {
            var line = cluster.Client.GetGrain<IProductLineGrain>(lineId);
            await line.CreateAsync(new LineSettings(0f, 1f, null, null, null));
            // Concurrent records group-commit; chunk boundaries are crossed inside one batch.
            await Task.WhenAll(Enumerable.Range(0, total).Select(i => line.RecordImageAsync(LineImage(lineId, $"img-{i:D4}", i % 3 == 0 ? "c1" : null))));
            // Re-recording an image of the first chunk replaces it in place.
            await line.RecordImageAsync(LineImage(lineId, "img-0001", "c2"));
            before = await line.ListImagesAsync(0, ProductLineGrain.MaxPage);
        }

        await using (var restarted = await PersistenceCluster.StartAsync(target, serviceId: serviceId))
        {
            var line = restarted.Client.GetGrain<IProductLineGrain>(lineId);
            var summary = await line.GetSummaryAsync();
            var all = await line.ListImagesAsync(0, ProductLineGrain.MaxPage);
            var expectedC1 = Enumerable.Range(0, total).Count(i => i % 3 == 0);

            Assert.Equal(total, summary.ImageCount);
            Assert.Equal(expectedC1 + 1, summary.RegionCount);
            Assert.Equal(expectedC1, summary.Classes.Single(c => c.ClassId == "c1").RegionCount);
            Assert.Equal(1, summary.Classes.Single(c => c.ClassId == "c2").ImageCount);
            Assert.Equal(total, all.Length);
            Assert.Equal(total, all.Distinct().Count());
            Assert.Equal(before, all);
            Assert.Equal(before[(LineImageRecords.ChunkSize - 1)..(LineImageRecords.ChunkSize + 1)], await line.ListImagesAsync(LineImageRecords.ChunkSize - 1, 2));

            // Recording after the restart continues the last chunk without an ETag conflict.
            await line.RecordImageAsync(LineImage(lineId, "after-restart", null));
            Assert.Equal(["after-restart"], await line.ListImagesAsync(0, 1));
        }
    }

    [Fact]
    public async Task LineImageRecords_OfTheOlderInStateFormatMoveToChunks()
    {
        var target = await InitialisedDatabaseAsync();
        const string lineId = "legacy";
        await using (var cluster = await PersistenceCluster.StartAsync(target))
        {
            var silo = cluster.GetActiveSilos().First() as InProcessSiloHandle ?? throw new InvalidOperationException("TestCluster silos are expected in-process");
            var storage = silo.SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
            var legacy = new ProductLineState { Created = true, Settings = new LineSettings(0f, 1f, null, null, null), CreatedAt = DateTimeOffset.UtcNow, ImageIds = ["old-b", "old-a"] };
            legacy.Images["old-b"] = new RecordedImage { At = DateTimeOffset.UtcNow, Regions = [new RecordedRegion(0, null, 0.0)] };
            legacy.Images["old-a"] = new RecordedImage { At = DateTimeOffset.UtcNow };
            var line = cluster.Client.GetGrain<IProductLineGrain>(lineId);
            await storage.WriteStateAsync("line", line.GetGrainId(), new GrainState<ProductLineState>(legacy));

            await line.RecordImageAsync(LineImage(lineId, "new-c", null));

            Assert.Equal(["new-c", "old-a", "old-b"], await line.ListImagesAsync(0, 10));
            Assert.Equal((3, 1), ((await line.GetSummaryAsync()).ImageCount, (await line.GetSummaryAsync()).RegionCount));
            var stored = new GrainState<ProductLineState>();
            await storage.ReadStateAsync("line", line.GetGrainId(), stored);
            Assert.Empty(stored.State!.Images);
        }
    }

    private static readonly ArtefactRef Crop = new(new string('c', 64), "crop", "png", 10);

    private static ImageResult LineImage(string lineId, string imageId, string? classId) => new(
        lineId,
        imageId,
        ImageStatus.Binarised,
        new ArtefactRef(new string('b', 64), "image", "png", 10),
        null,
        null,
        64,
        64,
        classId is null ? [] : [new RegionResult(new RegionKey(lineId, imageId, 0), new RegionBox(0, 0, 10, 10), 50, 0.9, Crop, Crop, null, classId, 0.8, "v1", null)],
        null,
        null,
        DateTimeOffset.UtcNow,
        DateTimeOffset.UtcNow,
        1.0);

    protected async Task<DatabaseTarget> InitialisedDatabaseAsync()
    {
        var target = await NewDatabaseAsync();
        await DatabaseSchema.InitialiseAsync(target);
        return target;
    }

    protected static async Task<object?> ScalarAsync(DatabaseTarget target, string sql)
    {
        await using var connection = target.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    private const string StateColumns =
        "service_id, grain_type_hash, grain_type, grain_id_hash, grain_id_n0, grain_id_n1, grain_id_extension, version, payload_binary, modified_at";

    /// <summary>The payload of the only state row.</summary>
    protected static async Task<byte[]> SinglePayloadAsync(DatabaseTarget target) =>
        Assert.IsType<byte[]>(await ScalarAsync(target, "SELECT payload_binary FROM anomalyncd_grain_state"));

    /// <summary>Every row of <paramref name="sql"/>, each as its column values (byte arrays compared by content in Assert.Equal).</summary>
    protected static async Task<List<object[]>> ReadRowsAsync(DatabaseTarget target, string sql)
    {
        await using var connection = target.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object[]>();
        while (await reader.ReadAsync())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            rows.Add(values);
        }

        return rows;
    }

    protected static async Task<long> CountAsync(DatabaseTarget target, string sql) =>
        Convert.ToInt64(await ScalarAsync(target, sql), CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="sql"/> with <paramref name="values"/> bound to @p0, @p1, ….</summary>
    protected static async Task ExecuteAsync(DatabaseTarget target, string sql, params object[] values)
    {
        await using var connection = target.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "p" + i.ToString(CultureInfo.InvariantCulture);
            parameter.Value = values[i];
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>True when <paramref name="error"/> or an inner exception is a <see cref="SchemaOutOfDateException"/>.</summary>
    protected static SchemaOutOfDateException? FindSchemaError(Exception? error) => error switch
    {
        null => null,
        SchemaOutOfDateException schema => schema,
        AggregateException aggregate => aggregate.InnerExceptions.Select(FindSchemaError).FirstOrDefault(found => found is not null),
        _ => FindSchemaError(error.InnerException),
    };
}
