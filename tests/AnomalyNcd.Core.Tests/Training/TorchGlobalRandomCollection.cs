namespace AnomalyNcd.Core.Tests.Training;

/// <summary>
/// Tests whose outcome depends on TorchSharp's process-wide random generator (manual_seed, then weight initialisation):
/// run alone, because a test in another class drawing from the same generator at the same time changes the weights
/// (seen: a discovery-quality threshold missed in the full suite, met every time the class ran by itself).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalRandomCollection
{
    public const string Name = "torch-global-random";
}
