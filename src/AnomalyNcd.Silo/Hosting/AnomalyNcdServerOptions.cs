using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Security;

namespace AnomalyNcd.Silo.Hosting;

/// <summary>Everything one silo-plus-API process needs; <c>anomalyncd serve</c> and the demo fill it from their options.</summary>
public sealed record AnomalyNcdServerOptions
{
    public const long DefaultMaxUploadBytes = 32L * 1024 * 1024;
    public const long DefaultMaxImagePixels = 40_000_000;
    public const int DefaultUploadsPerSecondPerClient = 1000;
    public const int DefaultUploadBurstPerClient = 2000;
    public const int DefaultMaxBatchImages = 64;

    /// <summary>Artefacts, scratch space for uploads and (without PostgreSQL) the embedded SQLite database live here.</summary>
    public required string DataFolder { get; init; }

    /// <summary>PostgreSQL connection string for a cluster; null runs one embedded silo (SQLite file under the data folder, localhost clustering).</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary><c>cuda</c> or <c>cpu</c> to override accelerator detection; null detects it.</summary>
    public string? Accelerator { get; init; }

    /// <summary>Lets training and inference grains run on CPU silos when the cluster has no accelerator.</summary>
    public bool AllowCpuFallback { get; init; }

    /// <summary>Most bytes the artefact store may hold before uploads are refused with 507; null = no quota (the disk is the limit).</summary>
    public long? ArtefactQuotaBytes { get; init; }

    /// <summary>Address the HTTP API listens on; loopback unless a cluster exposes it.</summary>
    public string HttpAddress { get; init; } = "127.0.0.1";

    /// <summary>HTTP port; 0 picks a free one (read the bound URL after start).</summary>
    public int HttpPort { get; init; } = 5080;

    /// <summary>Silo-to-silo port; 0 picks a free one.</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>Client gateway port; 0 picks a free one.</summary>
    public int GatewayPort { get; init; } = 30000;

    /// <summary>
    /// How grain state is written: binary (fast, the default) or JSON (queryable in SQL through the view
    /// <c>anomalyncd_grain_state_json</c>). Either is always read. Null takes configuration
    /// <see cref="StateFormatSetting.Key"/> (environment <c>Persistence__StateFormat</c>), else binary.
    /// </summary>
    public StateFormat? StateFormat { get; init; }

    public string ClusterId { get; init; } = "anomalyncd";

    public string ServiceId { get; init; } = "anomalyncd";

    /// <summary>Extra silo configuration applied after the host's own (e.g. <c>serve</c>'s advertised address or test-only tuning).</summary>
    public Action<ISiloBuilder>? ConfigureSilo { get; init; }

    /// <summary>Largest accepted upload request (image, map and form fields together); larger ones get 413 before the body is buffered.</summary>
    public long MaxUploadBytes { get; init; } = DefaultMaxUploadBytes;

    /// <summary>Most images one batched upload (<c>POST …/images/batch</c>) may carry; the request as a whole is still bounded by <see cref="MaxUploadBytes"/>.</summary>
    public int MaxBatchImages { get; init; } = DefaultMaxBatchImages;

    /// <summary>Largest accepted image (width × height); larger ones get 413.</summary>
    public long MaxImagePixels { get; init; } = DefaultMaxImagePixels;

    /// <summary>Serves the operator dashboard (Blazor, interactive server) at the site root next to the API.</summary>
    public bool EnableDashboard { get; init; } = true;

    /// <summary>
    /// API keys of machine clients (<c>name:role:sha256</c>; only the SHA-256 of each key). With none, only dashboard
    /// sign-ins reach the API, and the host logs a hint to create a key (<c>anomalyncd keys new</c>).
    /// </summary>
    public IReadOnlyList<ApiKeyGrant> ApiKeys { get; init; } = [];

    /// <summary>Image uploads per second each client (API key, user or address) may sustain; 0 switches the limit off.</summary>
    public int UploadsPerSecondPerClient { get; init; } = DefaultUploadsPerSecondPerClient;

    /// <summary>Uploads a client may send at once before <see cref="UploadsPerSecondPerClient"/> paces it (token bucket size).</summary>
    public int UploadBurstPerClient { get; init; } = DefaultUploadBurstPerClient;

    /// <summary>Where the content-addressed artefact store keeps its files.</summary>
    public string ArtefactFolder => Path.Combine(DataFolder, "artefacts");

    /// <summary>Scratch space where an upload waits while it is validated (never inside the artefact store).</summary>
    public string UploadFolder => Path.Combine(DataFolder, "uploads");

    /// <summary>The embedded database file used when no PostgreSQL connection string is given.</summary>
    public string SqliteFile => Path.Combine(DataFolder, "anomalyncd.db");

    /// <summary>Refuses values the host cannot honour, naming the option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataFolder))
        {
            throw new ArgumentException("DataFolder: a data folder is required");
        }

        CheckPort(HttpPort, nameof(HttpPort));
        CheckPort(SiloPort, nameof(SiloPort));
        CheckPort(GatewayPort, nameof(GatewayPort));
        if (MaxBatchImages < 1)
        {
            throw new ArgumentException($"MaxBatchImages: must be at least 1, got {MaxBatchImages}");
        }

        if (MaxUploadBytes < 1024)
        {
            throw new ArgumentException($"MaxUploadBytes: must be at least 1024, got {MaxUploadBytes}");
        }

        if (MaxImagePixels < 1)
        {
            throw new ArgumentException($"MaxImagePixels: must be positive, got {MaxImagePixels}");
        }

        if (Accelerator is not null)
        {
            // Checked here so that a bad value is one clear error before the silo starts building.
            AnomalyNcd.Grains.Placement.AcceleratorKinds.Normalize(Accelerator, nameof(Accelerator));
        }

        if (!System.Net.IPAddress.TryParse(HttpAddress, out _))
        {
            throw new ArgumentException($"HttpAddress: '{HttpAddress}' is not an IP address");
        }

        ValidateApiAccess();
    }

    private void ValidateApiAccess()
    {
        if (UploadsPerSecondPerClient < 0)
        {
            throw new ArgumentException($"UploadsPerSecondPerClient: must be 0 (no limit) or positive, got {UploadsPerSecondPerClient}");
        }

        if (UploadsPerSecondPerClient > 0 && UploadBurstPerClient < 1)
        {
            throw new ArgumentException($"UploadBurstPerClient: must be at least 1, got {UploadBurstPerClient}");
        }

        ArgumentNullException.ThrowIfNull(ApiKeys, nameof(ApiKeys));
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < ApiKeys.Count; i++)
        {
            var grant = ApiKeys[i] ?? throw new ArgumentException($"ApiKeys[{i}]: is null");
            grant.Validate($"ApiKeys[{i}]");
            if (!names.Add(grant.Name))
            {
                throw new ArgumentException($"ApiKeys[{i}]: key name {grant.Name} is configured twice");
            }

            if (!hashes.Add(grant.Sha256))
            {
                throw new ArgumentException($"ApiKeys[{i}]: key {grant.Name} has the same hash as another key (one key, two grants)");
            }
        }
    }

    private static void CheckPort(int port, string name)
    {
        if (port is < 0 or > 65535)
        {
            throw new ArgumentException($"{name}: must be between 0 and 65535, got {port}");
        }
    }
}
