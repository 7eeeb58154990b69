namespace AnomalyNcd.Core.Features;

/// <summary>The stage maps computed for one crop, one <see cref="FeatureMap"/> per requested stage.</summary>
public sealed class CropFeatures
{
    private readonly Dictionary<ResNetStage, FeatureMap> maps;

    public CropFeatures(IReadOnlyDictionary<ResNetStage, FeatureMap> maps)
    {
        ArgumentNullException.ThrowIfNull(maps);
        this.maps = new Dictionary<ResNetStage, FeatureMap>(maps);
    }

    public IEnumerable<ResNetStage> Stages => maps.Keys.Order();

    public FeatureMap this[ResNetStage stage] => maps.TryGetValue(stage, out var map)
        ? map
        : throw new KeyNotFoundException($"Stage {stage} was not computed; computed stages: {string.Join(", ", Stages)}.");

    public bool Contains(ResNetStage stage) => maps.ContainsKey(stage);
}
