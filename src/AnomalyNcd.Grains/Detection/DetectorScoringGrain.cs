using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Detection;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Grains.Artefacts;
using AnomalyNcd.Grains.Placement;
using AnomalyNcd.Grains.Processing;
using Microsoft.Extensions.Options;

namespace AnomalyNcd.Grains.Detection;

/// <summary>
/// Scores uploads without a map with one detector version (key: "line/version") on an accelerator silo. The detector
/// zip is unpacked and loaded once per activation; each image is scored on the thread pool with Core's
/// <see cref="PatchCoreDetector.ScoreImage"/> and brought to MEBin's scale with the detector's normal calibration and
/// <see cref="NormalReferencedScale"/>'s defaults, as <c>discover --detector</c> does. One image at a time per activation.
/// </summary>
[AcceleratorPlacement]
public sealed class DetectorScoringGrain(IArtefactStore artefacts, IOptions<DetectorGrainOptions> options) : Grain, IDetectorScoringGrain
{
    private Task<LoadedDetector>? loaded;

    public async Task<ScoredMap> ScoreAsync(DetectorVersion detector, ArtefactRef image)
    {
        if (this.GetPrimaryKeyString() != IDetectorScoringGrain.Key(detector.LineId, detector.Version))
        {
            throw RequestRejectedException.Invalid($"detector scoring grain '{this.GetPrimaryKeyString()}' does not serve {detector.LineId}/{detector.Version}");
        }

        var scorer = await LoadAsync(detector);
        var path = artefacts.PathOf(image);
        byte[] png;
        try
        {
            png = await Task.Run(() => scorer.Score(path));
        }
        catch (InvalidInputException invalid)
        {
            throw RequestRejectedException.Invalid($"image {image.Sha256}.{image.Extension}: {invalid.Problem}");
        }

        return new ScoredMap(await artefacts.PutAsync(png, NormalReferencedMaps.Kind, NormalReferencedMaps.Extension), scorer.RegionGateLevel);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (loaded is { IsCompletedSuccessfully: true } done)
        {
            done.Result.Dispose();
        }

        return Task.CompletedTask;
    }

    private Task<LoadedDetector> LoadAsync(DetectorVersion detector)
    {
        if (loaded is { IsFaulted: false })
        {
            return loaded;
        }

        if (!artefacts.Exists(detector.Detector))
        {
            throw RequestRejectedException.NotFound($"detector {detector.LineId}/{detector.Version}: artefact {detector.Detector.Sha256} is not in the store");
        }

        var zip = artefacts.PathOf(detector.Detector);
        var folder = Path.Combine(options.Value.DataFolder, "detectors", detector.Detector.Sha256);
        loaded = Task.Run(() => LoadedDetector.Load(UnpackedArtefacts.Unpack(zip, folder), detector.LineId));
        return loaded;
    }

    /// <summary>A loaded detector with its extractor and scale; disposed with the activation.</summary>
    private sealed class LoadedDetector(PatchCoreDetector detector, PatchFeatureExtractor extractor, NormalReferencedScale scale) : IDisposable
    {
        public static LoadedDetector Load(string folder, string line)
        {
            var detector = PatchCoreDetector.Load(folder, line);
            try
            {
                var calibration = detector.Calibration
                    ?? throw new InvalidInputException(folder, "the detector has no normal calibration; fit it again");
                return new LoadedDetector(detector, PatchFeatureExtractor.ForDetector(detector.Metadata), new NormalReferencedScale(calibration));
            }
            catch
            {
                detector.Dispose();
                throw;
            }
        }

        /// <summary>The level on the 8-bit scale every region must peak above (the image gate), where the scale's options gate regions.</summary>
        public byte? RegionGateLevel => scale.RegionGateLevel;

        /// <summary>The image's map on the normal-referenced 8-bit scale, as PNG bytes.</summary>
        public byte[] Score(string imagePath)
        {
            var map = detector.ScoreImage(imagePath, extractor);
            return NormalReferencedMaps.Encode(scale.Apply(new FloatMap(map.Width, map.Height, map.Values)));
        }

        public void Dispose()
        {
            extractor.Dispose();
            detector.Dispose();
        }
    }
}
