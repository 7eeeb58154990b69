using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Synthetic;

namespace AnomalyNcd.Core.Tests.Synthetic;

/// <summary>Two lines of 20 images at 128 pixels, written once and shared by the tests of a class.</summary>
public sealed class SmallSyntheticDataset : IDisposable
{
    public static readonly SyntheticOptions Options = new(Lines: 2, ImagesPerLine: 20, Size: 128, NormalFraction: 0.3, Seed: 11);

    private readonly TempFolder _temp = TestData.NewTempFolder();

    public SmallSyntheticDataset()
    {
        var progress = new RecordingProgress();
        Summary = SyntheticDatasetWriter.Write(Options, _temp.Combine("data"), progress);
        Progress = progress.Updates;
    }

    public SyntheticDatasetSummary Summary { get; }

    public IReadOnlyList<ProgressUpdate> Progress { get; }

    public void Dispose() => _temp.Dispose();

    private sealed class RecordingProgress : IProgress<ProgressUpdate>
    {
        private readonly List<ProgressUpdate> _updates = [];

        public IReadOnlyList<ProgressUpdate> Updates
        {
            get
            {
                lock (_updates)
                {
                    return [.. _updates];
                }
            }
        }

        public void Report(ProgressUpdate value)
        {
            lock (_updates)
            {
                _updates.Add(value);
            }
        }
    }
}
