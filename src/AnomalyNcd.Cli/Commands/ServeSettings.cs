using System.Globalization;
using System.Reflection;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace AnomalyNcd.Cli.Commands;

/// <summary>
/// What <c>serve</c> is told, bound from one configuration: <c>appsettings.json</c> in the working directory, then the
/// <c>ANOMALYNCD_*</c> environment variables (containers and manifests set those; the key is the name without the
/// prefix, e.g. <c>HTTP_PORT</c>), then the options typed on the command line. Each later source wins.
/// </summary>
internal sealed class ServeSettings
{
    [ConfigurationKeyName("STORE")]
    public string Store { get; set; } = "anomalyncd-data";

    [ConfigurationKeyName("POSTGRES")]
    public string? Postgres { get; set; }

    [ConfigurationKeyName("ACCELERATOR")]
    public string? Accelerator { get; set; }

    [ConfigurationKeyName("ALLOW_CPU_FALLBACK")]
    public bool AllowCpuFallback { get; set; }

    [ConfigurationKeyName("HTTP_PORT")]
    public int HttpPort { get; set; } = 5080;

    /// <summary>Unset: 0.0.0.0 when an advertised IP is set (a container), else 127.0.0.1.</summary>
    [ConfigurationKeyName("LISTEN")]
    public string? Listen { get; set; }

    [ConfigurationKeyName("ADVERTISED_IP")]
    public string? AdvertisedIp { get; set; }

    [ConfigurationKeyName("SILO_PORT")]
    public int SiloPort { get; set; } = 11111;

    [ConfigurationKeyName("GATEWAY_PORT")]
    public int GatewayPort { get; set; } = 30000;

    [ConfigurationKeyName("MAX_UPLOAD_MB")]
    public int MaxUploadMegabytes { get; set; } = (int)(AnomalyNcdServerOptions.DefaultMaxUploadBytes / (1024 * 1024));

    [ConfigurationKeyName("API_KEYS")]
    public string? ApiKeys { get; set; }

    /// <summary>MiB, fractions allowed; unset: no quota.</summary>
    [ConfigurationKeyName("ARTEFACT_QUOTA_MB")]
    public double? ArtefactQuotaMegabytes { get; set; }

    [ConfigurationKeyName("UPLOADS_PER_SECOND")]
    public int UploadsPerSecondPerClient { get; set; } = AnomalyNcdServerOptions.DefaultUploadsPerSecondPerClient;

    [ConfigurationKeyName("UPLOAD_BURST")]
    public int UploadBurstPerClient { get; set; } = AnomalyNcdServerOptions.DefaultUploadBurstPerClient;

    /// <summary>The configuration <c>serve</c> reads, with <paramref name="commandLine"/> (key → value of each typed option) on top.</summary>
    public static IConfiguration Configuration(IReadOnlyDictionary<string, string?> commandLine)
    {
        var layered = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddInMemoryCollection(commandLine)
            .Build();
        // An empty value means "not set" (a manifest's `VAR: ""`), as it always did; the others lose stray spaces.
        return new ConfigurationBuilder()
            .AddInMemoryCollection(layered.AsEnumerable().Where(pair => !string.IsNullOrWhiteSpace(pair.Value)).Select(pair => KeyValuePair.Create(pair.Key, pair.Value?.Trim())))
            .Build();
    }

    /// <summary>Binds the settings; a value that does not convert is refused with the variable it came from (or would come from).</summary>
    /// <exception cref="InvalidInputException">A value is not of its setting's type.</exception>
    public static ServeSettings Bind(IConfiguration configuration)
    {
        foreach (var property in typeof(ServeSettings).GetProperties())
        {
            var key = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name;
            if (configuration[key] is { } text)
            {
                Check(configuration, key, text, Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType);
            }
        }

        var settings = new ServeSettings();
        configuration.Bind(settings);
        if (settings.ArtefactQuotaMegabytes is { } quota && quota is not (> 0 and < 1e9))
        {
            throw new InvalidInputException(EnvironmentPrefix + "ARTEFACT_QUOTA_MB", $"'{configuration["ARTEFACT_QUOTA_MB"]}' is not a positive number of MiB");
        }

        return settings;
    }

    private static void Check(IConfiguration configuration, string key, string text, Type type)
    {
        try
        {
            configuration.GetValue(type, key);
        }
        catch (InvalidOperationException)
        {
            var expected = type == typeof(int) ? "a whole number" : type == typeof(bool) ? "true or false" : type == typeof(double) ? "a positive number of MiB" : type.Name;
            throw new InvalidInputException(EnvironmentPrefix + key, $"'{text.Trim()}' is not {expected}");
        }
    }

    /// <summary>Prefix of the environment variables read; the rest of a variable's name is its key.</summary>
    private const string EnvironmentPrefix = "ANOMALYNCD_";

    /// <summary>Invariant text of a typed option's value, for the command-line layer of the configuration.</summary>
    public static string? Text(object? value) => value switch
    {
        null => null,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        DirectoryInfo folder => folder.FullName,
        _ => value.ToString(),
    };
}
