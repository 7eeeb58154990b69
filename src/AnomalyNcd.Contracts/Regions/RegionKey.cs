namespace AnomalyNcd.Contracts.Regions;

[GenerateSerializer, Alias("anomalyncd.RegionKey")]
public sealed record RegionKey(string LineId, string ImageId, int Index)
{
    public string GrainKey => GrainKeys.Region(LineId, ImageId, Index);

    public override string ToString() => GrainKey;
}
