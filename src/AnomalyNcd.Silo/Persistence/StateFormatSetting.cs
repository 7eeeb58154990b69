namespace AnomalyNcd.Silo.Persistence;

/// <summary>Reads the state format setting (configuration <see cref="Key"/>, environment <c>Persistence__StateFormat</c>).</summary>
public static class StateFormatSetting
{
    public const string Key = "Persistence:StateFormat";

    /// <summary><c>binary</c> or <c>json</c> (any case); null or blank when not set. Anything else is refused naming the setting.</summary>
    public static StateFormat? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "binary" => StateFormat.Binary,
        "json" => StateFormat.Json,
        _ => throw new ArgumentException($"{Key}: '{value}' is not a state format; use binary or json"),
    };
}
