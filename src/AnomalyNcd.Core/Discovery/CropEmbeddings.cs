using System.Globalization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Model;
using AnomalyNcd.Core.Training;
using AnomalyNcd.Core.Training.Data;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// Writes what discovery sees of every unlabelled crop, for analysis outside the product (how separable the kinds are,
/// which crops sit near which): its frozen descriptor (the test view's backbone tokens under its mask, averaged and
/// unit length, as <see cref="ClassCountEstimator"/> describes crops) and its learnt feature (the trained encoder's
/// unit-length CLS feature of the test view, what the heads classify). One CSV row per crop:
/// <c>image,region,area,frozen,learnt</c>, each vector as space-separated values.
/// </summary>
public static class CropEmbeddings
{
    public const string Header = "image,region,area,frozen,learnt";

    /// <summary>Fails before any work when the file cannot be written there (a folder by that name, or no way to make its folder).</summary>
    public static void CheckTarget(string path)
    {
        if (Directory.Exists(path))
        {
            throw new InvalidInputException(path, "the embeddings file would replace a folder; give a file path");
        }

        var probe = PartialPath(path);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(probe, string.Empty);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(path, $"the embeddings file cannot be written there: {e.Message}");
        }
    }

    public static void Write(string path, DiscoveryNetwork network, FeatureBank bank, CropDataset dataset, IReadOnlyList<int> crops)
    {
        CheckTarget(path);
        var learnt = KMeansHeadInitialiser.UnitFeatures(network, bank, crops, batchSize: 64);

        // Written next to the target and moved into place, so a failed run never leaves half a file.
        var partial = PartialPath(path);
        try
        {
            using var writer = new StreamWriter(partial);
            writer.WriteLine(Header);
            for (var k = 0; k < crops.Count; k++)
            {
                var sample = dataset.Samples[crops[k]];
                var frozen = ClassCountEstimator.Describe(bank, crops[k]);
                writer.WriteLine(CsvTable.Join([
                    sample.SourceImage,
                    sample.RegionIndex.ToString(CultureInfo.InvariantCulture),
                    sample.ForegroundArea.ToString(CultureInfo.InvariantCulture),
                    Vector(frozen),
                    Vector(learnt[k]),
                ]));
            }
        }
        catch
        {
            File.Delete(partial);
            throw;
        }

        File.Move(partial, path, overwrite: true);
    }

    private static string PartialPath(string path) => path + ".partial";

    private static string Vector(IEnumerable<double> values) => string.Join(' ', values.Select(v => v.ToString("G7", CultureInfo.InvariantCulture)));
}
