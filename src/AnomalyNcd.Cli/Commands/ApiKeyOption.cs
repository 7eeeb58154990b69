using System.CommandLine;
using AnomalyNcd.Silo.Security;

namespace AnomalyNcd.Cli.Commands;

/// <summary>The <c>--api-key</c> option of commands that call a running API, defaulting to <c>ANOMALYNCD_API_KEY</c>.</summary>
internal static class ApiKeyOption
{
    public const string Variable = "ANOMALYNCD_API_KEY";

    public static Option<string?> Create() => new("--api-key")
    {
        Description = $"API key sent as X-Api-Key (make one with `anomalyncd keys new`). Default: ${Variable}.",
    };

    /// <summary>The key typed on the command line, else the environment's, else null.</summary>
    public static string? Resolve(ParseResult parse, Option<string?> option) =>
        parse.GetValue(option) is { Length: > 0 } typed
            ? typed.Trim()
            : Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } variable ? variable.Trim() : null;

    /// <summary>Sends <paramref name="key"/> with every request of <paramref name="http"/> (nothing when null).</summary>
    public static HttpClient Authorize(HttpClient http, string? key)
    {
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        }

        return http;
    }
}
