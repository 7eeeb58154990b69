namespace AnomalyNcd.Core.Training.Data;

/// <summary>The ImageNet channel statistics every DINO backbone input is normalised with (RGB order).</summary>
public static class ImageNetNormalization
{
    public static readonly float[] Mean = [0.485f, 0.456f, 0.406f];

    public static readonly float[] Std = [0.229f, 0.224f, 0.225f];
}
