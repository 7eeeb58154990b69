using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Training;

namespace AnomalyNcd.Dashboard.Tests.Support;

/// <summary>Builds model versions for tests.</summary>
internal static class Models
{
    public static ModelVersion Of(string lineId, string version, double? nmi = null) =>
        new(version, lineId, new ArtefactRef("ck" + version, "checkpoint", "zip", 1), [], 10, nmi, null, null, Classes.At, null, null);
}
