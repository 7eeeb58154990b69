using System.Net.Http.Json;
using AnomalyNcd.Core.Synthetic;
using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Tests.Support;
using Xunit.Abstractions;

namespace AnomalyNcd.Silo.Tests.Cluster;

/// <summary>
/// Issue 21, acceptance 2: an upload the API acknowledged is stored before the answer leaves. Each test uploads
/// images one at a time to a real <c>anomalyncd serve</c> process, kills it (kill -9) the moment the last answer
/// arrives, starts it again on the same data and database, and finds every acknowledged image listed with its result.
/// </summary>
[Trait(TestCategories.Trait, TestCategories.Cluster)]
[Collection(PostgresCollection.Name)]
public sealed class AcknowledgedUploadDurabilityTests(PostgresServer postgres, ITestOutputHelper output)
{
    private const string Line = "durable-line";
    private const int Uploads = 6;

    [Fact]
    public Task KillRightAfterTheAcknowledgement_EmbeddedSqlite_ImagesListedAfterRestart() => RunAsync(postgresConnection: null);

    [Fact]
    public async Task KillRightAfterTheAcknowledgement_PostgreSql_ImagesListedAfterRestart()
    {
        var connection = await postgres.CreateDatabaseAsync();
        await DatabaseSchema.InitialiseAsync(DatabaseTarget.Postgres(connection));
        await RunAsync(connection);
    }

    private async Task RunAsync(string? postgresConnection)
    {
        using var budget = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var temp = TestData.NewTempFolder();
        var httpPort = ServeProcess.FreePort();
        List<string> options =
        [
            "--data", temp.Combine("data"), "--accelerator", "cpu", "--port", $"{httpPort}",
            "--silo-port", $"{ServeProcess.FreePort()}", "--gateway-port", $"{ServeProcess.FreePort()}",
        ];
        if (postgresConnection is not null)
        {
            options.AddRange(["--postgres", postgresConnection]);
        }

        var summary = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: Uploads, Size: 128, Seed: 21), temp.Combine("factory"));
        var silo = ServeProcess.StartWith("first", options, httpPort, new Dictionary<string, string>());
        try
        {
            await silo.WaitHealthyAsync(1, TimeSpan.FromSeconds(90));
            var created = await silo.Http.PostAsJsonAsync("/api/lines", new { id = Line, calibrationMin = 0f, calibrationMax = 255f }, budget.Token);
            Assert.True(created.IsSuccessStatusCode, $"create line: {(int)created.StatusCode}");

            var acknowledged = new List<string>();
            foreach (var record in summary.Images)
            {
                var id = Path.GetFileNameWithoutExtension(record.Row.Image);
                using var form = new MultipartFormDataContent
                {
                    { new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(summary.Folder, record.Row.Image), budget.Token)), "image", $"{id}.png" },
                    { new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(summary.Folder, record.Row.AnomalyMap!), budget.Token)), "map", $"{id}.png" },
                    { new StringContent(id), "id" },
                };
                using var response = await silo.Http.PostAsync($"/api/lines/{Line}/images", form, budget.Token);
                Assert.True(response.IsSuccessStatusCode, $"upload {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(budget.Token)}");
                acknowledged.Add(id);
            }

            // The last acknowledgement has just arrived: no shutdown, no flush, no goodbye.
            silo.KillHard();
            output.WriteLine($"kill -9 right after {acknowledged.Count} acknowledged uploads ({(postgresConnection is null ? "embedded SQLite" : "PostgreSQL")})");

            var again = silo.StartAgain("restarted");
            silo.Dispose();
            silo = again;
            await silo.WaitHealthyAsync(1, TimeSpan.FromSeconds(90));
            var listed = await ClusterProbe.ListImageIdsAsync(silo, Line, budget.Token);

            Assert.Equal(acknowledged.Order(), listed.Order());
            foreach (var id in acknowledged)
            {
                using var image = await silo.Http.GetAsync($"/api/lines/{Line}/images/{id}", budget.Token);
                Assert.True(image.IsSuccessStatusCode, $"GET image {id} after the restart: {(int)image.StatusCode}");
            }
        }
        catch
        {
            output.WriteLine(silo.Log);
            throw;
        }
        finally
        {
            silo.Dispose();
        }
    }
}
