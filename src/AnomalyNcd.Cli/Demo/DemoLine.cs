using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Cli.Demo;

/// <summary>One generated image the demo streams: its files, its id (the file stem) and its true kind.</summary>
internal sealed record DemoImage(string Id, string File, string Map, string Truth, bool Online);

/// <summary>What the API answered for one image once it was classified (or found without anomaly).</summary>
internal sealed record DemoImageResult(DemoImage Image, string Status, string? ClassId, double? LatencyMs);

/// <summary>One defect class of a line's catalogue as the API lists it.</summary>
internal sealed record DemoClass(string ClassId, string? Name, int Regions, int Images);

/// <summary>The detector a line learnt in the demo: its version, how many normal images it was fitted on, and how long normals + fit + promotion took.</summary>
internal sealed record DemoDetector(string Version, int NormalImages, TimeSpan Time);

/// <summary>One synthetic line through the demo: the plan (which images train discovery, which stream online) and what came back.</summary>
internal sealed class DemoLine(LineRecipe recipe, IReadOnlyList<DemoImage> discovery, IReadOnlyList<DemoImage> online, IReadOnlyList<string> normals)
{
    public LineRecipe Recipe { get; } = recipe;

    public string Name => Recipe.Name;

    /// <summary>The line's defect kinds plus normal: the class count discovery is asked for, as the batch demo did.</summary>
    public int ClassCount => Recipe.Kinds.Count + 1;

    /// <summary>The class count discovery was asked for: <see cref="ClassCount"/>, or fewer when the batch has fewer regions.</summary>
    public int DiscoveryClasses { get; set; }

    /// <summary>Ingested before discovery; discovery trains on their regions.</summary>
    public IReadOnlyList<DemoImage> Discovery { get; } = discovery;

    /// <summary>Ingested one by one after the model is promoted; each is classified on arrival.</summary>
    public IReadOnlyList<DemoImage> Online { get; } = online;

    /// <summary>The line's normal images (its train split): the detector learns from them in a raw-image demo.</summary>
    public IReadOnlyList<string> Normals { get; } = normals;

    /// <summary>The promoted detector of a raw-image demo; null when the simulated maps were sent.</summary>
    public DemoDetector? Detector { get; set; }

    public float CalibrationMin { get; set; }

    public float CalibrationMax { get; set; }

    public int Rejected { get; set; }

    public string? ModelVersion { get; set; }

    /// <summary>Why discovery produced no model (the rest of the line's steps are skipped), or null.</summary>
    public string? Failure { get; set; }

    public TimeSpan TrainingTime { get; set; }

    public int TrainingRegions { get; set; }

    public double? ModelNmi { get; set; }

    public double? ModelAri { get; set; }

    public double? ModelF1 { get; set; }

    public int Images { get; set; }

    public int AnomalousImages { get; set; }

    public int Regions { get; set; }

    public IReadOnlyList<DemoClass> Classes { get; set; } = [];

    public List<DemoImageResult> Results { get; } = [];
}
