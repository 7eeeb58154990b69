namespace AnomalyNcd.Dashboard.Components.Charts;

/// <summary>The loss per epoch of one training run, as the loss chart draws it (epoch 1 is the first value).</summary>
public sealed record LossRun(string Name, IReadOnlyList<double> Loss);
