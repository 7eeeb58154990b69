namespace AnomalyNcd.Core.Training.Data;

/// <summary>
/// Model input of one view in CHW layout: <see cref="Image"/> is float[3·S·S], ImageNet-normalised;
/// <see cref="Mask"/> is float[S·S] in [0,1] (not normalised); S = <see cref="CropTransforms.OutputSide"/>.
/// </summary>
public sealed record TransformedCrop(float[] Image, float[] Mask);
