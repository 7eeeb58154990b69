using AnomalyNcd.Core.Datasets;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Features;
using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Core.Tests.Detection;

/// <summary>One synthetic line (24 images of 128², half normal), an fp32 feature extractor and a detector fitted on its train normals with it.</summary>
public sealed class SyntheticDetectorFixture : IDisposable
{
    private readonly TempFolder temp = TestData.NewTempFolder();

    public SyntheticDetectorFixture()
    {
        var summary = SyntheticDatasetWriter.Write(new SyntheticOptions(Lines: 1, ImagesPerLine: 24, Size: 128, NormalFraction: 0.5, Seed: 3), temp.Combine("data"));
        ManifestPath = summary.ManifestPath;
        Manifest = Manifest.Load(ManifestPath);
        Extractor = new PatchFeatureExtractor();
        TrainingImages = DetectorManifest.TrainingRows(Manifest, "line-a").Select(r => Manifest.Resolve(r.Image)).ToList();
        Detector = PatchCoreDetector.Fit(TrainingImages, "line-a", Extractor, new PatchCoreOptions(CoresetFraction: 0.25, Precision: BackbonePrecision.Fp32));
    }

    public string ManifestPath { get; }

    public Manifest Manifest { get; }

    public PatchFeatureExtractor Extractor { get; }

    public IReadOnlyList<string> TrainingImages { get; }

    public PatchCoreDetector Detector { get; }

    public string Folder(string name) => temp.Combine(name);

    public void Dispose()
    {
        Detector.Dispose();
        Extractor.Dispose();
        temp.Dispose();
    }
}
