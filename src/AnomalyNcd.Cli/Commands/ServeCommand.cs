using System.CommandLine;
using System.Net;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// <c>anomalyncd serve</c>: one silo with the HTTP API, until Ctrl+C or SIGTERM. Its settings are bound from one
/// configuration (<see cref="ServeSettings"/>): typed options, else <c>ANOMALYNCD_*</c> environment variables
/// (containers and manifests set those), else <c>appsettings.json</c>, else the built-in defaults. Grain settings
/// such as <c>Training:EpochPause</c> or <c>Training:Discovery:Threads</c> come from the host's configuration
/// (<c>Training__…</c> variables or <c>appsettings.json</c>).
/// </summary>
internal static class ServeCommand
{
    public const string StoreVariable = "ANOMALYNCD_STORE";
    public const string PostgresVariable = "ANOMALYNCD_POSTGRES";
    public const string AcceleratorVariable = "ANOMALYNCD_ACCELERATOR";
    public const string FallbackVariable = "ANOMALYNCD_ALLOW_CPU_FALLBACK";
    public const string HttpPortVariable = "ANOMALYNCD_HTTP_PORT";
    public const string SiloPortVariable = "ANOMALYNCD_SILO_PORT";
    public const string GatewayPortVariable = "ANOMALYNCD_GATEWAY_PORT";
    public const string AdvertisedIpVariable = "ANOMALYNCD_ADVERTISED_IP";
    public const string ApiKeysVariable = "ANOMALYNCD_API_KEYS";

    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = $"Data folder: artefacts, upload scratch space and (without --postgres) the embedded database. Default: ${StoreVariable}, else ./anomalyncd-data." };
        var postgres = new Option<string?>("--postgres") { Description = $"PostgreSQL connection string; silos sharing one form a cluster. Default: ${PostgresVariable}; without either, one embedded silo." };
        var accelerator = new Option<string?>("--accelerator") { Description = $"Advertise this accelerator instead of detecting it: cpu or cuda. Default: ${AcceleratorVariable}, else detected." };
        accelerator.AcceptOnlyFromAmong("cpu", "cuda");
        var fallback = new Option<bool>("--allow-cpu-fallback") { Description = $"Run training and inference on CPU silos when no silo advertises cuda. Default: ${FallbackVariable} (true/false), else off." };
        var port = new Option<int>("--port") { Description = $"HTTP port of the API (0 = a free port). Default: ${HttpPortVariable}, else 5080." };
        var listen = new Option<string>("--listen") { Description = $"IP address the API listens on (0.0.0.0 to expose it). Default: 0.0.0.0 when ${AdvertisedIpVariable} is set, else 127.0.0.1." };
        var advertised = new Option<string?>("--advertised-ip") { Description = $"IP address other silos reach this one at (a container's or pod's IP); the silo then listens on all addresses. Default: ${AdvertisedIpVariable}." };
        var siloPort = new Option<int>("--silo-port") { Description = $"Silo-to-silo port (0 = a free port). Default: ${SiloPortVariable}, else 11111." };
        var gatewayPort = new Option<int>("--gateway-port") { Description = $"Orleans client gateway port (0 = a free port). Default: ${GatewayPortVariable}, else 30000." };
        var maxUpload = new Option<int>("--max-upload-mb") { Description = "Largest accepted upload request in MiB.", DefaultValueFactory = _ => 32 };
        var apiKeys = new Option<string?>("--api-keys") { Description = $"API key grants name:role:sha256, comma-separated (make one with `anomalyncd keys new`). Default: ${ApiKeysVariable}; without keys only dashboard sign-ins reach the API." };

        var command = new Command("serve", "Run a silo with the HTTP API (and OpenAPI at /openapi/v1.json) until Ctrl+C or SIGTERM.")
        {
            data, postgres, accelerator, fallback, port, listen, advertised, siloPort, gatewayPort, maxUpload, apiKeys,
        };
        command.SetAction(async (parse, cancel) =>
        {
            // Only typed options join the configuration, so a variable or appsettings.json fills the rest.
            var typed = new Dictionary<string, string?>();
            foreach (var (option, key) in new (Option Option, string Key)[]
            {
                (data, "STORE"), (postgres, "POSTGRES"), (accelerator, "ACCELERATOR"), (fallback, "ALLOW_CPU_FALLBACK"), (port, "HTTP_PORT"),
                (listen, "LISTEN"), (advertised, "ADVERTISED_IP"), (siloPort, "SILO_PORT"), (gatewayPort, "GATEWAY_PORT"),
                (maxUpload, "MAX_UPLOAD_MB"), (apiKeys, "API_KEYS"),
            })
            {
                if (parse.GetResult(option) is { Implicit: false } given)
                {
                    typed[key] = ServeSettings.Text(given.GetValueOrDefault<object?>());
                }
            }

            var settings = ServeSettings.Bind(ServeSettings.Configuration(typed));
            IPAddress? advertisedAddress = null;
            if (settings.AdvertisedIp is { } advertisedIp && !IPAddress.TryParse(advertisedIp, out advertisedAddress))
            {
                throw new InvalidInputException(Given(parse, advertised) ? "--advertised-ip" : AdvertisedIpVariable, $"'{advertisedIp}' is not an IP address");
            }

            if (settings.Accelerator is { } acceleratorValue && acceleratorValue is not ("cpu" or "cuda"))
            {
                throw new InvalidInputException(AcceleratorVariable, $"'{acceleratorValue}' is not an accelerator; use cpu or cuda");
            }

            var keysSource = Given(parse, apiKeys) ? "--api-keys" : ApiKeysVariable;
            IReadOnlyList<AnomalyNcd.Silo.Security.ApiKeyGrant> grants;
            try
            {
                grants = AnomalyNcd.Silo.Security.ApiKeyGrant.ParseList(settings.ApiKeys, keysSource);
                foreach (var grant in grants)
                {
                    grant.Validate(keysSource);
                }
            }
            catch (ArgumentException invalid)
            {
                // The message already starts with the option or variable it names.
                throw new InvalidInputException(null, invalid.Message);
            }

            var options = new AnomalyNcdServerOptions
            {
                ApiKeys = grants,
                UploadsPerSecondPerClient = settings.UploadsPerSecondPerClient,
                UploadBurstPerClient = settings.UploadBurstPerClient,
                DataFolder = Path.GetFullPath(settings.Store),
                PostgresConnectionString = settings.Postgres,
                Accelerator = settings.Accelerator,
                AllowCpuFallback = settings.AllowCpuFallback,
                HttpAddress = settings.Listen ?? (advertisedAddress is null ? "127.0.0.1" : "0.0.0.0"),
                HttpPort = settings.HttpPort,
                SiloPort = settings.SiloPort,
                GatewayPort = settings.GatewayPort,
                MaxUploadBytes = (long)settings.MaxUploadMegabytes * 1024 * 1024,
                ArtefactQuotaBytes = settings.ArtefactQuotaMegabytes is { } quota ? (long)(quota * 1024 * 1024) : null,
                ConfigureSilo = silo => ConfigureSilo(silo, advertisedAddress),
            };
            try
            {
                options.Validate();
            }
            catch (ArgumentException invalid)
            {
                throw new InvalidInputException(null, invalid.Message);
            }

            WebApplication app;
            try
            {
                app = await AnomalyNcdServer.BuildAsync(options, cancel);
            }
            catch (SchemaOutOfDateException outdated)
            {
                throw new InvalidInputException(options.PostgresConnectionString is not null && !Given(parse, postgres) ? PostgresVariable : "--postgres", outdated.Message);
            }

            await using var host = app;
            await app.StartAsync(cancel);
            var storage = options.PostgresConnectionString is null ? "embedded" : "PostgreSQL";
            context.Out.WriteLine($"anomalyncd serving on {app.GetBoundUrl()} (data {options.DataFolder}, {storage} storage); Ctrl+C to stop");
            context.Out.WriteLine(grants.Count == 0
                ? $"no API keys configured ({ApiKeysVariable}): only dashboard sign-ins reach /api; create one with `anomalyncd keys new --name <client> --role ingest`"
                : $"API keys: {string.Join(", ", grants.Select(grant => $"{grant.Name} ({grant.Role})"))}");
            context.Out.Flush();

            // Waiting on the host lifetime is what lets SIGTERM stop the process (platform-notes).
            await app.WaitForShutdownAsync(cancel);
            context.Out.WriteLine("anomalyncd stopped");
            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }

    private static void ConfigureSilo(ISiloBuilder silo, IPAddress? advertisedAddress)
    {
        if (advertisedAddress is not null)
        {
            // Other silos and clients dial this address; the host listens on all addresses (as in a container).
            silo.Configure<EndpointOptions>(endpoints =>
            {
                endpoints.AdvertisedIPAddress = advertisedAddress;
                endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, endpoints.SiloPort);
                endpoints.GatewayListeningEndpoint = new IPEndPoint(IPAddress.Any, endpoints.GatewayPort);
            });
        }
    }

    /// <summary>True when the option was typed on the command line (not filled in from its default).</summary>
    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
