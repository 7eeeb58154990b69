using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Tests.Api;
using AnomalyNcd.Silo.Tests.Support;
using Npgsql;
using Xunit.Abstractions;

namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary>
/// What an image costs when its grains are spread over two silos (docs/CAPACITY.md): the same uploads into one silo,
/// then into two silos taking turns, each on its own database and data folder. Counted, not timed: the state rows and
/// their writes (the row's version column counts them), the artefact bytes, and per silo the uploads it answered and
/// the images its grains processed (its <c>/metrics</c>). CPU time per image is the bench's job
/// (<c>bench/cluster-ingest.sh</c>), not a test's.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Cluster)]
[Collection(PostgresCollection.Name)]
public sealed class SpreadCostTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string Line = "spread";
    private const int ImageCount = 40;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public async Task OnTwoSilos_AnImageWritesTheSameStateAndArtefactsAsOnOne_AndBothSilosProcessImages()
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var one = await MeasureAsync(1, budget.Token);
        var two = await MeasureAsync(2, budget.Token);
        foreach (var run in new[] { one, two })
        {
            output.WriteLine($"{run.Silos} silo(s): per image {run.RowsPerImage:0.00} state rows, {run.WritesPerImage:0.00} state writes, "
                + $"{run.StateBytesPerImage:0} B of state, {run.ArtefactBytesPerImage:0} B of artefacts; uploads answered per silo "
                + $"{string.Join(" + ", run.UploadsPerSilo)}, images processed per silo {string.Join(" + ", run.ProcessedPerSilo)} "
                + $"(at least {run.CrossedAtLeast} image submits went from the silo that took the upload to the other one)");
            foreach (var type in run.ByGrainType)
            {
                output.WriteLine($"  {type.GrainType}: {type.Rows} rows, {type.Writes} writes, {type.Bytes} B");
            }
        }

        // The same grains keep the same state wherever they run: one row per grain, and the image grains (one row and a
        // fixed number of writes each) write as often on two silos as on one. Only the line grain's group commit may
        // gather a different number of records per write, so the total is held to a margin, not to equality.
        Assert.Equal(one.Rows, two.Rows);
        Assert.Equal(one.WritesOf("image"), two.WritesOf("image"));
        Assert.True(two.Writes <= one.Writes * 1.25, $"state writes: {one.Writes} on one silo, {two.Writes} on two");
        Assert.InRange(two.StateBytes, one.StateBytes * 0.95, one.StateBytes * 1.05);
        Assert.Equal(one.ArtefactBytes, two.ArtefactBytes);

        // Every image processed exactly once, and on two silos both did part of the work: the calls crossed silos
        // (the line grain lives on one of them, so the other's images record themselves remotely).
        Assert.Equal(ImageCount, one.ProcessedPerSilo.Sum());
        Assert.Equal(ImageCount, two.ProcessedPerSilo.Sum());
        Assert.All(two.ProcessedPerSilo, processed => Assert.True(processed > 0, $"a silo processed no image: {string.Join(" + ", two.ProcessedPerSilo)}"));
        Assert.All(two.UploadsPerSilo, uploads => Assert.Equal(ImageCount / 2, uploads));
    }

    /// <summary>Starts <paramref name="silos"/> serve processes on a new database, uploads the images in turns, and counts.</summary>
    private async Task<SpreadRun> MeasureAsync(int silos, CancellationToken cancellationToken)
    {
        using var temp = TestData.NewTempFolder();
        var connection = await postgres.CreateDatabaseAsync();
        await DatabaseSchema.InitialiseAsync(DatabaseTarget.Postgres(connection));
        var data = temp.Combine("data");
        return await ServeProcesses.RunAsync(output, async started =>
        {
            started.AddRange(Enumerable.Range(0, silos).Select(i => ServeProcess.Start($"s{i}", data, connection, "cpu", new Dictionary<string, string>())));
            foreach (var silo in started)
            {
                await silo.WaitHealthyAsync(silos, TimeSpan.FromSeconds(90));
            }

            var created = await started[0].Http.PostAsJsonAsync("/api/lines", new { id = Line, calibrationMin = 20f, calibrationMax = 240f }, cancellationToken);
            Assert.True(created.IsSuccessStatusCode, $"create line: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(cancellationToken)}");
            var map = TestImages.MapPng(64, 64);
            for (var i = 0; i < ImageCount; i++)
            {
                var silo = started[i % silos];
                using var response = await silo.Http.PostAsync(
                    $"/api/lines/{Line}/images", ApiHostFixture.Upload(TestImages.SurfacePng(64, 64, i + 1), $"img-{i}.png", map, id: $"img-{i}"), cancellationToken);
                Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload img-{i} to {silo.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                var result = (await response.Content.ReadFromJsonAsync<ImageResult>(Json, cancellationToken))!;
                Assert.True(result.Status is ImageStatus.Binarised or ImageStatus.NoAnomaly, $"img-{i}: {result.Status}");
            }

            var uploads = new List<int>();
            var processed = new List<int>();
            foreach (var silo in started)
            {
                var metrics = await silo.Http.GetStringAsync("/metrics", cancellationToken);
                uploads.Add((int)Sample(metrics, "anomalyncd_ingest_images_total{outcome=\"created\"}"));
                processed.Add((int)Sample(metrics, "anomalyncd_ingest_stage_duration_seconds_count{stage=\"grain.process\"}"));
            }

            var byType = await StateByGrainTypeAsync(connection, cancellationToken);
            var artefacts = Directory.EnumerateFiles(Path.Combine(data, "artefacts"), "*", SearchOption.AllDirectories).Sum(file => new FileInfo(file).Length);
            return new SpreadRun(silos, byType, artefacts, uploads, processed);
        });
    }

    /// <summary>A sample's value from the Prometheus text; 0 when the series is absent (nothing counted on that silo).</summary>
    private static double Sample(string metrics, string series)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<List<GrainTypeState>> StateByGrainTypeAsync(string connection, CancellationToken cancellationToken)
    {
        await using var database = new NpgsqlConnection(connection);
        await database.OpenAsync(cancellationToken);
        await using var query = new NpgsqlCommand(
            "SELECT grain_type, count(*), sum(version)::bigint, coalesce(sum(octet_length(payload_binary)), 0)::bigint FROM anomalyncd_grain_state GROUP BY grain_type ORDER BY grain_type",
            database);
        await using var reader = await query.ExecuteReaderAsync(cancellationToken);
        var types = new List<GrainTypeState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            types.Add(new GrainTypeState(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return types;
    }

    private sealed record GrainTypeState(string GrainType, long Rows, long Writes, long Bytes);

    private sealed record SpreadRun(int Silos, List<GrainTypeState> ByGrainType, long ArtefactBytes, List<int> UploadsPerSilo, List<int> ProcessedPerSilo)
    {
        public long Rows => ByGrainType.Sum(t => t.Rows);

        public long Writes => ByGrainType.Sum(t => t.Writes);

        public long StateBytes => ByGrainType.Sum(t => t.Bytes);

        /// <summary>The writes of one grain type, named as the state table names it (e.g. <c>image</c>).</summary>
        public long WritesOf(string grainType) => ByGrainType.Where(t => t.GrainType == grainType).Sum(t => t.Writes);

        public double RowsPerImage => (double)Rows / ImageCount;

        public double WritesPerImage => (double)Writes / ImageCount;

        public double StateBytesPerImage => (double)StateBytes / ImageCount;

        public double ArtefactBytesPerImage => (double)ArtefactBytes / ImageCount;

        /// <summary>Images processed on a silo beyond the uploads it answered: each came from the other silo's API.</summary>
        public int CrossedAtLeast => UploadsPerSilo.Zip(ProcessedPerSilo).Sum(pair => Math.Max(0, pair.Second - pair.First));
    }
}
