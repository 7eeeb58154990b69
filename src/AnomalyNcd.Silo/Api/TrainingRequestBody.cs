namespace AnomalyNcd.Silo.Api;

/// <summary>Body of <c>POST /api/lines/{line}/training</c>; every field is optional.</summary>
public sealed record TrainingRequestBody(int? ClassCount, int? Epochs, int? Seed, string? RequestedBy)
{
    public const int DefaultEpochs = 20;
    public const int MaxEpochs = 1000;

    public string? Problem()
    {
        if (ClassCount is { } count && (count < 2 || count > LineSettingsRequest.MaxClassCount))
        {
            return $"classCount must be between 2 and {LineSettingsRequest.MaxClassCount} (or absent for the line's setting), got {count}";
        }

        if (Epochs is { } epochs && (epochs < 1 || epochs > MaxEpochs))
        {
            return $"epochs must be between 1 and {MaxEpochs}, got {epochs}";
        }

        return null;
    }
}
