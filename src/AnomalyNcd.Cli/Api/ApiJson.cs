using System.Text.Json;
using System.Text.Json.Serialization;

namespace AnomalyNcd.Cli.Api;

/// <summary>
/// The JSON options of the API's answers and bodies, as the Silo configures them (AnomalyNcdServer:
/// ConfigureHttpJsonOptions over ASP.NET's web defaults): camelCase names, enums as strings, NaN and infinities as
/// named literals. The client reads and writes the Contracts records with exactly these, so they round-trip; a test
/// compares them with the options the server resolves.
/// </summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
