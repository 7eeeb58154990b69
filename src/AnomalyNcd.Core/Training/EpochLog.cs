namespace AnomalyNcd.Core.Training;

/// <summary>One finished epoch: mean total loss, mean head_cluster per head, learning rate, teacher temperature.</summary>
public sealed record EpochLog(int Epoch, int Batches, double MeanLoss, IReadOnlyList<double> HeadClusterLosses, double LearningRate, double TeacherTemperature);
