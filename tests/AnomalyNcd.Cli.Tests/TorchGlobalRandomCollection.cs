namespace AnomalyNcd.Cli.Tests;

/// <summary>
/// Commands whose outcome is compared bit for bit between two runs: discovery seeds TorchSharp's process-wide random
/// generator and then draws the initial weights from it, so another test training at the same time in this process
/// would change them. Run alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalRandomCollection
{
    public const string Name = "torch-global-random";
}
