using AnomalyNcd.Contracts.Lines;

namespace AnomalyNcd.Silo.Api;

/// <summary>Body of <c>POST /api/lines/{line}/training</c>; every field is optional.</summary>
public sealed record TrainingRequestBody(int? ClassCount, int? Epochs, int? Seed, string? RequestedBy)
{
    public const int DefaultEpochs = 20;
    public const int MaxEpochs = 1000;

    public string? Problem()
    {
        if (LineSettings.ClassCountProblem(ClassCount) is { } classCount)
        {
            return classCount;
        }

        if (Epochs is { } epochs && (epochs < 1 || epochs > MaxEpochs))
        {
            return $"epochs must be between 1 and {MaxEpochs}, got {epochs}";
        }

        return null;
    }
}
