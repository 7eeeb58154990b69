namespace AnomalyNcd.Core.Cropping;

/// <summary>The crop stage of one image: the box plan and the crops of its kept boxes (disposes the crops).</summary>
public sealed class CropStageResult(CropPlan plan, IReadOnlyList<AnomalyCrop> crops) : IDisposable
{
    public CropPlan Plan { get; } = plan;

    public IReadOnlyList<AnomalyCrop> Crops { get; } = crops;

    public void Dispose()
    {
        foreach (var crop in Crops)
        {
            crop.Dispose();
        }
    }
}
