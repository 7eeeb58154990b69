using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using AnomalyNcd.Dashboard;
using AnomalyNcd.Grains;
using AnomalyNcd.Grains.Placement;
using AnomalyNcd.Grains.Training;
using AnomalyNcd.Silo.Api;
using AnomalyNcd.Silo.Persistence;
using AnomalyNcd.Silo.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace AnomalyNcd.Silo.Hosting;

/// <summary>
/// Builds the one process kind of the product: an ASP.NET Core host that co-hosts an Orleans silo and serves
/// the HTTP API from it (the API calls grains through the silo's own client, no extra hop).
/// </summary>
public static class AnomalyNcdServer
{
    /// <summary>Under the data folder: the first-run dashboard admin's password when no users are configured.</summary>
    public const string FirstRunPasswordFileName = "first-run-admin.txt";

    /// <summary>Builds (does not start) the host. After <c>StartAsync</c>, <see cref="GetBoundUrl"/> tells where the API listens.</summary>
    public static async Task<WebApplication> BuildAsync(AnomalyNcdServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var resolved = options with
        {
            DataFolder = Path.GetFullPath(options.DataFolder),
            SiloPort = options.SiloPort == 0 ? FreeLoopbackPort() : options.SiloPort,
            GatewayPort = options.GatewayPort == 0 ? FreeLoopbackPort() : options.GatewayPort,
        };
        Directory.CreateDirectory(resolved.DataFolder);
        Directory.CreateDirectory(resolved.ArtefactFolder);
        Directory.CreateDirectory(resolved.UploadFolder);

        // No configuration reload: it watches the content root (the working directory) and everything below it, so
        // with the default data folder (./anomalyncd-data) every stored artefact woke the watcher thread (~5 % of
        // the ingest CPU in a profile). Settings come from options and environment variables read at start.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        // The state format may also come from configuration (environment Persistence__StateFormat).
        resolved = resolved with
        {
            StateFormat = resolved.StateFormat ?? StateFormatSetting.Parse(builder.Configuration[StateFormatSetting.Key]) ?? StateFormat.Binary,
        };
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(resolved.HttpAddress), resolved.HttpPort);
            // Every request body is capped here, before anything is buffered; uploads are the only large ones.
            kestrel.Limits.MaxRequestBodySize = resolved.MaxUploadBytes;
        });
        builder.Services.Configure<FormOptions>(form =>
        {
            form.MultipartBodyLengthLimit = resolved.MaxUploadBytes;
            form.ValueLengthLimit = 64 * 1024;
            // Uploaded files up to 1 MiB stay in memory; the default (64 KiB) spooled every image to a temporary file.
            form.MemoryBufferThreshold = 1024 * 1024;
        });
        builder.Services.AddSingleton(resolved);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        if (resolved.EnableDashboard)
        {
            builder.Services.AddAnomalyNcdDashboard();
            builder.Services.PostConfigure<AnomalyNcd.Dashboard.Access.DashboardAccessOptions>(access =>
                access.FirstRunPasswordFile ??= Path.Combine(resolved.DataFolder, FirstRunPasswordFileName));
            builder.Services.AddSingleton<AnomalyNcd.Dashboard.Data.IArtefactReader, StoreArtefactReader>();
        }

        builder.Services.AddAnomalyNcdApiSecurity(resolved);
        builder.Services.AddSingleton<Ingest.ImageIngest>();
        builder.Services.AddSingleton<Ingest.NormalImageIngest>();
        builder.Services.AddSingleton<Detection.LineDetectorService>();
        builder.Services.AddSingleton(_ => new Metrics.PrometheusExporter());
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            json.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });

        await PrepareStorageAsync(resolved, cancellationToken);
        builder.UseOrleans(silo =>
        {
            ConfigurePersistence(silo, resolved);
            ConfigurePlacement(silo, resolved);
            ConfigureGrains(silo, resolved);
            // Plant settings for training jobs (e.g. Training__Discovery__Threads, Training__EpochPause) from configuration.
            silo.Services.Configure<TrainingGrainOptions>(builder.Configuration.GetSection("Training"));
            resolved.ConfigureSilo?.Invoke(silo);
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Upload handlers count images per authenticated client (UploadRateLimiting) after authorization, so anonymous ones never count.
        app.UseAuthentication();
        app.UseAuthorization();
        WarnWhenNoApiKeys(app, resolved);
        app.MapOpenApi();
        app.MapAnomalyNcdApi();
        if (resolved.EnableDashboard)
        {
            app.MapAnomalyNcdDashboard();
        }

        app.MapHealth();
        app.MapMetrics();
        return app;
    }

    /// <summary>Without keys the API still works for dashboard sign-ins; say once how machine clients get in.</summary>
    private static void WarnWhenNoApiKeys(WebApplication app, AnomalyNcdServerOptions options)
    {
        if (options.ApiKeys.Count > 0)
        {
            return;
        }

        var access = options.EnableDashboard ? "only dashboard sign-ins (operator or admin to change anything) reach" : "nothing can call";
        app.Logger.LogWarning(
            "No API keys are configured (ANOMALYNCD_API_KEYS), so {Access} the /api endpoints. Create a key with `anomalyncd keys new --name <client> --role ingest` and configure the line it prints.",
            access);
    }

    /// <summary>The URL the API listens on (e.g. <c>http://127.0.0.1:51234</c>); only known once the host has started.</summary>
    public static string GetBoundUrl(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the host has not started yet, so it has no bound URL");
    }

    /// <summary>The database the silo uses: PostgreSQL when a connection string is given, else the SQLite file under the data folder.</summary>
    public static DatabaseTarget DatabaseOf(AnomalyNcdServerOptions options) =>
        options.PostgresConnectionString is { } connection
            ? DatabaseTarget.Postgres(connection)
            : DatabaseTarget.SqliteInDataFolder(options.DataFolder);

    /// <summary>
    /// A shared PostgreSQL database must already carry the current schema (<c>anomalyncd db init</c>); checking it
    /// here refuses a missing or older schema with its clear message before anything starts. The embedded SQLite
    /// file is created or upgraded by the silo's schema gate.
    /// </summary>
    private static async Task PrepareStorageAsync(AnomalyNcdServerOptions options, CancellationToken cancellationToken)
    {
        if (options.PostgresConnectionString is not null)
        {
            await DatabaseSchema.EnsureCurrentAsync(DatabaseOf(options), cancellationToken);
        }
    }

    /// <summary>
    /// Clustering, grain storage "state" and reminders: one embedded silo (localhost clustering, SQLite) or a
    /// member of a PostgreSQL cluster (membership in the database; several <c>serve</c> processes form one cluster).
    /// </summary>
    private static void ConfigurePersistence(ISiloBuilder silo, AnomalyNcdServerOptions options)
    {
        var target = DatabaseOf(options);
        if (options.PostgresConnectionString is null)
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, null, options.ServiceId, options.ClusterId);
            silo.UseAnomalyNcdPersistence(target, clustering: false, options.StateFormat ?? StateFormat.Binary);
            return;
        }

        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });
        // A loopback API means a loopback cluster (tests, local-cluster.sh); otherwise advertise the host's address.
        if (IPAddress.IsLoopback(IPAddress.Parse(options.HttpAddress)))
        {
            silo.ConfigureEndpoints(IPAddress.Loopback, options.SiloPort, options.GatewayPort);
        }
        else
        {
            silo.ConfigureEndpoints(options.SiloPort, options.GatewayPort, AddressFamily.InterNetwork, listenOnAnyHostAddress: true);
        }

        silo.UseAnomalyNcdPersistence(target, clustering: true, options.StateFormat ?? StateFormat.Binary);
    }

    /// <summary>Accelerator metadata and placement: training and inference go to <c>cuda</c> silos (or anywhere, with the fallback).</summary>
    private static void ConfigurePlacement(ISiloBuilder silo, AnomalyNcdServerOptions options) =>
        silo.AddAcceleratorPlacement(new AcceleratorPlacementOptions
        {
            Accelerator = options.Accelerator,
            AllowCpuFallback = options.AllowCpuFallback,
        });

    /// <summary>The grain implementations and their services (artefact store under the data folder, image processor).</summary>
    private static void ConfigureGrains(ISiloBuilder silo, AnomalyNcdServerOptions options) =>
        silo.AddAnomalyNcdGrains(new GrainsOptions { DataFolder = options.DataFolder, ArtefactQuotaBytes = options.ArtefactQuotaBytes });

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
