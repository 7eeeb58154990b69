namespace AnomalyNcd.Core.Features;

/// <summary>Facts about the stages of the CNTK-exported ResNet18 shipped in Microsoft.ML.DnnImageFeaturizer.ResNet18.</summary>
public static class ResNetStages
{
    /// <summary>Name of the graph value at the end of the stage (a ReLU output) in ResNet18.onnx.</summary>
    public static string OutputName(this ResNetStage stage) => stage switch
    {
        ResNetStage.Layer1 => "ReLU283_Output_0",
        ResNetStage.Layer2 => "ReLU315_Output_0",
        ResNetStage.Layer3 => "ReLU347_Output_0",
        ResNetStage.Layer4 => "ReLU393_Output_0",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown ResNet stage."),
    };

    public static int Channels(this ResNetStage stage) => stage switch
    {
        ResNetStage.Layer1 => 64,
        ResNetStage.Layer2 => 128,
        ResNetStage.Layer3 => 256,
        ResNetStage.Layer4 => 512,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown ResNet stage."),
    };

    /// <summary>Side of the square stage map for a 224×224 input.</summary>
    public static int Size(this ResNetStage stage) => stage switch
    {
        ResNetStage.Layer1 => 56,
        ResNetStage.Layer2 => 28,
        ResNetStage.Layer3 => 14,
        ResNetStage.Layer4 => 7,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown ResNet stage."),
    };
}
