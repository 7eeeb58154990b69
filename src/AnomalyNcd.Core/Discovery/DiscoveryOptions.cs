using AnomalyNcd.Core.Extraction;
using AnomalyNcd.Core.Merging;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;

namespace AnomalyNcd.Core.Discovery;

/// <summary>Everything a discovery run needs besides its manifests.</summary>
public sealed record DiscoveryOptions
{
    /// <summary>Rows of this split are discovered (null: all rows).</summary>
    public string? Split { get; init; } = "test";

    /// <summary>Only rows of this product line (null: every row of the split).</summary>
    public string? Line { get; init; }

    public RegionSource Source { get; init; } = RegionSource.GroundTruthMasks;

    /// <summary>
    /// Folder of raw detector maps (PNG 8/16-bit, float TIFF, .npy) matched to the rows by name; they are
    /// normalised per line into 8-bit maps under <c>crops/maps/</c> and replace the manifest's anomaly_map
    /// column, and regions come from MEBin on them (null: use the manifest as it is).
    /// </summary>
    public string? MapsFolder { get; init; }

    /// <summary>
    /// Folder of a detector fitted with <c>detect fit</c> (the raw-image path): the split's images are scored with it
    /// (unless <see cref="MapsFolder"/> already holds its maps) and every map is scaled against the detector's normal
    /// calibration (<see cref="Maps.NormalReferencedScale"/>) before MEBin, which then searches a fixed range.
    /// </summary>
    public string? DetectorFolder { get; init; }

    /// <summary>How the raw-image path scales maps against the normal calibration (only with <see cref="DetectorFolder"/>).</summary>
    public Maps.NormalReferencedScaleOptions RawImageScale { get; init; } = Maps.NormalReferencedScaleOptions.Default;

    /// <summary>With maps: shrink each MEBin region to its core, the pixels at ≥ this fraction of its peak (<see cref="Extraction.RegionCores"/>); null keeps the regions.</summary>
    public double? RegionCoreFraction { get; init; }

    /// <summary>Every MEBin region its own crop, unmerged and uncut (<see cref="Cropping.CropOptions.CropEveryRegion"/>); off as the reference.</summary>
    public bool CropEveryRegion { get; init; }

    /// <summary>The smallest crop's half-side as a share of the image's longer side (the reference: 0.1).</summary>
    public double MinCropSize { get; init; } = new Cropping.CropOptions().MinCropSize;

    /// <summary>
    /// MEBin's erosion kernel side (the reference: 6). Smaller keeps defects one or two pixels wide and specks under six
    /// pixels, which the reference's kernel removes (lines with many small defects per part); 1 means no erosion.
    /// </summary>
    public int ErodeKernelSize { get; init; } = Binarization.MebinOptions.Default.ErodeKernelSize;

    /// <summary>
    /// With maps: MEBin's one stable threshold per image or one region per persistent peak. Null takes the entry
    /// point's default: the reference's MEBin for maps given (<c>discover --maps</c>, parity), persistent peaks for
    /// raw images through a detector (<c>discover --detector</c>, measured better there: docs/RESULTS.md).
    /// </summary>
    public Binarization.RegionRule? RegionRule { get; init; }

    /// <summary>The rule in force: <see cref="RegionRule"/>, or the entry point's default.</summary>
    public Binarization.RegionRule EffectiveRegionRule =>
        RegionRule ?? (DetectorFolder is null ? Binarization.RegionRuleDefaults.MapsGiven : Binarization.RegionRuleDefaults.DetectorMaps);

    /// <summary>Which peaks become regions under <see cref="Binarization.RegionRule.PersistentPeaks"/>.</summary>
    public Binarization.PeakRegionOptions Peaks { get; init; } = Binarization.PeakRegionOptions.Default;

    /// <summary>What MEBin does with a map set whose maps all share one maximum (maps normalised per image); refuse by default.</summary>
    public Binarization.DegenerateRangePolicy DegenerateRange { get; init; } = Binarization.DegenerateRangePolicy.Refuse;

    /// <summary>Number of novel classes U; null estimates it (see <see cref="ClassCountEstimator"/>).</summary>
    public int? NovelClasses { get; init; }

    /// <summary>What the estimate of U clusters when <see cref="NovelClasses"/> is null.</summary>
    public ClassCountFeatures ClassCountFeatures { get; init; } = ClassCountFeatures.Learnt;

    /// <summary>Largest U tried by the estimate.</summary>
    public int MaxNovelClasses { get; init; } = 10;

    /// <summary>Whether a base set is trained with always (the reference) or only when it shares the line's feature space.</summary>
    public BaseSetUse BaseSetUse { get; init; } = BaseSetUse.Auto;

    /// <summary>At most this many base images per base class (keeps the CPU recipe's feature pass short).</summary>
    public int MaxBaseImagesPerClass { get; init; } = 60;

    /// <summary>Cached augmented training views per crop (two are drawn per step).</summary>
    public int TrainViews { get; init; } = 3;

    /// <summary>
    /// Token grid side for the ResNet18 backbone: 28 (layer2 at its own resolution + layer3 upsampled, 784 tokens of 384
    /// channels, 8-px cells as ViT-B/8's) since MTD's thin defects showed that 14 (16-px cells, layer2 averaged) lost them.
    /// </summary>
    public int GridSize { get; init; } = 28;

    /// <summary>Share of a token cell the crop's mask must cover for the CLS query to see it (see <see cref="Discovery.TokenCoverage"/>).</summary>
    public double TokenCoverage { get; init; } = Discovery.TokenCoverage.Reference;

    /// <summary>
    /// Keep visible only the tokens under the mask that differ from the crop's context (<see cref="Discovery.TokenContrast"/>):
    /// the share of the most distinct token's score a token needs; 0 is off. Null takes the entry point's default
    /// (<see cref="TokenContrastDefaults"/>): off for masks and maps given, on for raw images through a detector.
    /// </summary>
    public double? TokenContrast { get; init; }

    /// <summary>The token contrast in force: <see cref="TokenContrast"/>, or the entry point's default (0 = off).</summary>
    public double EffectiveTokenContrast =>
        TokenContrast ?? TokenContrastDefaults.For(detectorMaps: DetectorFolder is not null);

    public TokenEncoderConfig Encoder { get; init; } = new();

    /// <summary><c>resnet18</c> (shipped, CPU-sized) or <c>dino-vitb8</c> (the paper's; needs <see cref="BackboneWeights"/>).</summary>
    public string Backbone { get; init; } = TrainingCheckpoint.ResNet18Backbone;

    /// <summary>DINO checkpoint (PyTorch or safetensors, DINO key names) for the ViT backbone.</summary>
    public string? BackboneWeights { get; init; }

    /// <summary>Architecture of the ViT backbone (ViT-B/8 by default; smaller ones for tests).</summary>
    public VitConfig Vit { get; init; } = VitConfig.DinoVitBase8;

    public int Heads { get; init; } = MultiHead.DefaultHeadCount;

    public NcdTrainingOptions Training { get; init; } = new();

    public DiscoveryProtocol Protocol { get; init; } = DiscoveryProtocol.Transductive;

    /// <summary>Which cached views of a crop its class probabilities come from; null: <see cref="EffectivePredictionViews"/>.</summary>
    public PredictionViews? PredictionViews { get; init; }

    /// <summary>
    /// The views used: as given, else by where the regions come from (<see cref="PredictionViewDefaults"/>): all cached
    /// views for ground-truth masks, the test view alone (the reference) for anomaly maps, given or a detector's. The
    /// average was measured on the ResNet18 backbone only, so the ViT path keeps the reference's test view.
    /// </summary>
    public PredictionViews EffectivePredictionViews =>
        PredictionViews ?? PredictionViewDefaults.For(groundTruthMasks:
            Source == RegionSource.GroundTruthMasks && MapsFolder is null && DetectorFolder is null && Backbone == TrainingCheckpoint.ResNet18Backbone);

    /// <summary>Region-merge temperature T (100 for MVTec AD, 50 otherwise, as the reference).</summary>
    public double MergeTemperature { get; init; } = RegionMergeTemperature.Default;

    /// <summary>Folder of an earlier run's checkpoint (its <c>model/</c>) to resume training from.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Where to write every unlabelled crop's frozen and learnt features (<see cref="CropEmbeddings"/>); null: nowhere.</summary>
    public string? EmbeddingsPath { get; init; }

    /// <summary>Worker threads for crop features (-1: all cores).</summary>
    public int Threads { get; init; } = -1;
}
