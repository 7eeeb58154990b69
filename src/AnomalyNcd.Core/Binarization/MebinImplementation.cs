namespace AnomalyNcd.Core.Binarization;

/// <summary>Which MEBin implementation to run; both give identical results.</summary>
public enum MebinImplementation
{
    /// <summary>One erosion and one union-find sweep per map (<see cref="MebinFast"/>).</summary>
    Fast,

    /// <summary>The reference loop with OpenCV, 64 passes per map (<see cref="MebinReference"/>).</summary>
    Reference,
}
