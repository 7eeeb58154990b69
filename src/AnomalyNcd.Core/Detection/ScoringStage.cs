namespace AnomalyNcd.Core.Detection;

/// <summary>The steps of scoring one image, in pipeline order (for timing breakdowns).</summary>
public enum ScoringStage
{
    /// <summary>Reading and decoding the image file to 8-bit RGB.</summary>
    Decode,

    /// <summary>Resizing to 224×224 and converting to planar floats.</summary>
    Resize,

    /// <summary>ONNX Runtime: mean subtraction and ResNet18 up to Layer3.</summary>
    Forward,

    /// <summary>Layer3 upsampled to 28×28 and concatenated with Layer2 (patch-major tokens).</summary>
    Tokens,

    /// <summary>3×3 neighbourhood mean of every patch.</summary>
    Aggregate,

    /// <summary>Nearest memory-bank vector of every patch.</summary>
    NearestNeighbour,

    /// <summary>Bilinear upsampling to the image size, Gaussian smoothing and the maximum.</summary>
    Map,

    /// <summary>Writing the map file (only when the caller writes maps).</summary>
    Write,
}
