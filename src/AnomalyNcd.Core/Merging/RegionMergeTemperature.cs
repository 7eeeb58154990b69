namespace AnomalyNcd.Core.Merging;

/// <summary>Temperatures T of the area weighting in region merging (method-spec §10.2).</summary>
public static class RegionMergeTemperature
{
    /// <summary>The reference's T for the dataset named "mvtec".</summary>
    public const double MvtecAd = 100.0;

    /// <summary>The reference's T for every other dataset (MTD, custom data).</summary>
    public const double Default = 50.0;
}
