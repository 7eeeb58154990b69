using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Grains.Lines;

/// <summary>The line's registered model versions and the explicit promotion of one of them.</summary>
public sealed class ModelRegistry(ProductLineState line, string lineId)
{
    public ModelVersion? Promoted =>
        line.PromotedVersion is { } version ? line.Models.Find(m => m.Version == version) : null;

    public ModelVersion[] All => [.. line.Models];

    /// <summary>Adds the model (registering again, a retried call, replaces the record but keeps its promotion) and adopts its classes.</summary>
    public void Register(ModelVersion model, ClassCatalogue catalogue, DateTimeOffset now)
    {
        if (model.LineId != lineId)
        {
            throw RequestRejectedException.Invalid($"model {model.Version} was trained for line {model.LineId}, not {lineId}");
        }

        if (!GrainKeys.IsValidId(model.Version))
        {
            throw RequestRejectedException.Invalid($"'{model.Version}' is not a valid model version id");
        }

        var index = line.Models.FindIndex(m => m.Version == model.Version);
        if (index >= 0)
        {
            var existing = line.Models[index];
            line.Models[index] = model with { PromotedAt = existing.PromotedAt, PromotedBy = existing.PromotedBy };
        }
        else
        {
            line.Models.Add(model);
        }

        catalogue.AdoptModelClasses(model, now);
    }

    /// <summary>Promotes <paramref name="version"/>; returns it and the version promoted before (empty when none), for the audit log.</summary>
    public (ModelVersion Promoted, string Before) Promote(string version, string user, DateTimeOffset now)
    {
        var promoted = line.PromotedVersion;
        var result = VersionPromotion.Promote(
            line.Models, version, m => m.Version == version, m => m with { PromotedAt = now, PromotedBy = user }, ref promoted, $"line {lineId} has no model version {version}");
        line.PromotedVersion = promoted;
        return result;
    }
}
