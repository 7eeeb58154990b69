using System.CommandLine;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Silo.Hosting;
using AnomalyNcd.Silo.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace AnomalyNcd.Cli.Commands;

/// <summary><c>anomalyncd serve</c>: one silo with the HTTP API, until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Data folder: artefacts, upload scratch space and (without --postgres) the embedded database.", DefaultValueFactory = _ => new DirectoryInfo("anomalyncd-data") };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string; silos sharing one form a cluster. Without it: one embedded silo." };
        var accelerator = new Option<string?>("--accelerator") { Description = "Advertise this accelerator instead of detecting it: cpu or cuda." };
        accelerator.AcceptOnlyFromAmong("cpu", "cuda");
        var fallback = new Option<bool>("--allow-cpu-fallback") { Description = "Run training and inference on CPU silos when no silo advertises cuda." };
        var port = new Option<int>("--port") { Description = "HTTP port of the API (0 = a free port).", DefaultValueFactory = _ => 5080 };
        var listen = new Option<string>("--listen") { Description = "IP address the API listens on (0.0.0.0 to expose it).", DefaultValueFactory = _ => "127.0.0.1" };
        var siloPort = new Option<int>("--silo-port") { Description = "Silo-to-silo port (0 = a free port).", DefaultValueFactory = _ => 11111 };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Orleans client gateway port (0 = a free port).", DefaultValueFactory = _ => 30000 };
        var maxUpload = new Option<int>("--max-upload-mb") { Description = "Largest accepted upload request in MiB.", DefaultValueFactory = _ => 32 };

        var command = new Command("serve", "Run a silo with the HTTP API (and OpenAPI at /openapi/v1.json) until Ctrl+C or SIGTERM.")
        {
            data, postgres, accelerator, fallback, port, listen, siloPort, gatewayPort, maxUpload,
        };
        command.SetAction(async (parse, cancel) =>
        {
            var options = new AnomalyNcdServerOptions
            {
                DataFolder = parse.GetValue(data)!.FullName,
                PostgresConnectionString = parse.GetValue(postgres),
                Accelerator = parse.GetValue(accelerator),
                AllowCpuFallback = parse.GetValue(fallback),
                HttpAddress = parse.GetValue(listen)!,
                HttpPort = parse.GetValue(port),
                SiloPort = parse.GetValue(siloPort),
                GatewayPort = parse.GetValue(gatewayPort),
                MaxUploadBytes = (long)parse.GetValue(maxUpload) * 1024 * 1024,
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
                throw new InvalidInputException("--postgres", outdated.Message);
            }

            await using var host = app;
            await app.StartAsync(cancel);
            var storage = options.PostgresConnectionString is null ? "embedded" : "PostgreSQL";
            context.Out.WriteLine($"anomalyncd serving on {app.GetBoundUrl()} (data {options.DataFolder}, {storage} storage); Ctrl+C to stop");
            context.Out.Flush();

            // Waiting on the host lifetime is what lets SIGTERM stop the process (platform-notes).
            await app.WaitForShutdownAsync(cancel);
            context.Out.WriteLine("anomalyncd stopped");
            return AnomalyNcdCli.ExitOk;
        });
        return command;
    }
}
