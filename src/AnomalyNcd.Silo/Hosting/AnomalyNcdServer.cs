using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using AnomalyNcd.Grains;
using AnomalyNcd.Grains.Placement;
using AnomalyNcd.Silo.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AnomalyNcd.Silo.Hosting;

/// <summary>
/// Builds the one process kind of the product: an ASP.NET Core host that co-hosts an Orleans silo and serves
/// the HTTP API from it (the API calls grains through the silo's own client, no extra hop).
/// </summary>
public static class AnomalyNcdServer
{
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

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
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
        });
        builder.Services.AddSingleton(resolved);
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
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
        });

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.MapAnomalyNcdApi();
        return app;
    }

    /// <summary>The URL the API listens on (e.g. <c>http://127.0.0.1:51234</c>); only known once the host has started.</summary>
    public static string GetBoundUrl(this WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses?.FirstOrDefault() ?? throw new InvalidOperationException("the host has not started yet, so it has no bound URL");
    }

    /// <summary>
    /// Seam for the persistence branch: schema checks that must happen before the silo starts
    /// (the silo refuses a missing or older PostgreSQL schema).
    /// </summary>
    private static Task PrepareStorageAsync(AnomalyNcdServerOptions options, CancellationToken cancellationToken)
    {
        if (options.PostgresConnectionString is not null)
        {
            throw new NotSupportedException("PostgreSQL persistence is not connected to the host yet (see ConfigurePersistence)");
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// SEAM (persistence): clustering, grain storage "state" and reminders. Until the ADO.NET persistence lands,
    /// the embedded silo keeps state in memory; it will become a SQLite file under the data folder
    /// (<see cref="AnomalyNcdServerOptions.SqliteFile"/>) or PostgreSQL when a connection string is given.
    /// </summary>
    private static void ConfigurePersistence(ISiloBuilder silo, AnomalyNcdServerOptions options)
    {
        silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, null, options.ServiceId, options.ClusterId);
        silo.AddMemoryGrainStorage("state");
        silo.AddMemoryGrainStorageAsDefault();
        silo.UseInMemoryReminderService();
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
        silo.AddAnomalyNcdGrains(new GrainsOptions { DataFolder = options.DataFolder });

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
