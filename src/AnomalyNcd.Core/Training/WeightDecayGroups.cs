using TorchSharp.Modules;

namespace AnomalyNcd.Core.Training;

/// <summary>Trainable parameters split by whether they receive weight decay (method-spec §9.4).</summary>
public sealed record WeightDecayGroups(
    IReadOnlyList<(string Name, Parameter Parameter)> Decayed,
    IReadOnlyList<(string Name, Parameter Parameter)> NotDecayed);
