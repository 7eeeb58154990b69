using AnomalyNcd.Core.Binarization;
using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Maps;

namespace AnomalyNcd.Core.Tests.Maps;

public class MapNormalizationTests
{
    [Fact]
    public void PerSet_HandExample_JointMinMaxTimes255Truncated()
    {
        // Joint range [-1, 3]: (x + 1) / 4 * 255 → -1→0, 0→63.75→63, 1→127.5→127, 3→255, 2.9→248.625→248.
        var a = new FloatMap(2, 1, [-1f, 0f]);
        var b = new FloatMap(3, 1, [1f, 3f, 2.9f]);

        var gray = MapNormalization.PerSet([a, b]);

        Assert.Equal([0, 63], gray[0].Pixels);
        Assert.Equal([127, 255, 248], gray[1].Pixels);
    }

    [Fact]
    public void PerSet_OneMapDim_StaysDimAgainstTheSet()
    {
        var dim = new FloatMap(2, 1, [0f, 1f]);
        var bright = new FloatMap(2, 1, [0f, 10f]);

        var gray = MapNormalization.PerSet([dim, bright]);

        Assert.Equal(25, gray[0].Max()); // per-image normalisation would give 255
    }

    [Fact]
    public void PerSet_DegenerateRange_RefusedUnlessAllowed()
    {
        var maps = new[] { new FloatMap(2, 2, [4f, 4f, 4f, 4f]), new FloatMap(1, 1, [4f]) };

        var error = Assert.Throws<InvalidInputException>(() => MapNormalization.PerSet(maps, setName: "line-a"));
        var zeros = MapNormalization.PerSet(maps, allowDegenerate: true);

        Assert.Contains("single value 4", error.Message);
        Assert.All(zeros, g => Assert.Equal(0, g.Max()));
    }

    [Fact]
    public void CalibrationApply_SingleMap_EqualsItsSliceOfTheSetNormalisation()
    {
        var random = new Random(7);
        var set = Enumerable.Range(0, 5)
            .Select(_ => new FloatMap(9, 6, [.. Enumerable.Range(0, 54).Select(_ => (float)((random.NextDouble() * 3.7) - 0.4))]))
            .ToList();

        var batch = MapNormalization.PerSet(set);
        var calibration = MapCalibration.Learn("line-a", set);

        for (var i = 0; i < set.Count; i++)
        {
            Assert.Equal(batch[i].Pixels, calibration.Apply(set[i]).Pixels);
        }
    }

    [Fact]
    public void CalibrationMebinRange_SingleMap_EqualsTheBatchRangeOfItsCalibrationSet()
    {
        var random = new Random(11);
        var set = Enumerable.Range(0, 6)
            .Select(i => new FloatMap(12, 8, [.. Enumerable.Range(0, 96).Select(_ => (float)(random.NextDouble() * (1.0 + i)))]))
            .ToList();

        var batchRange = MebinRange.FromMaps(MapNormalization.PerSet(set));
        var calibration = MapCalibration.Learn("line-a", set);

        Assert.Equal(batchRange, calibration.MebinRange);
        Assert.True(calibration.MebinFloor > 0);
    }

    [Fact]
    public void CalibrationApply_OutsideTheLearntRange_Clamps()
    {
        var calibration = new MapCalibration("line-a", 0f, 2f, DateTimeOffset.UnixEpoch);

        var gray = calibration.Apply(new FloatMap(3, 1, [-5f, 1f, 9f]));

        Assert.Equal([0, 127, 255], gray.Pixels);
    }

    [Fact]
    public void CalibrationSaveLoad_RoundTripsLineAndRange()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("line-a.calibration.json");
        var calibration = MapCalibration.Learn("line-a", [new FloatMap(2, 1, [0.125f, 7.75f])]);

        calibration.Save(path);
        var loaded = MapCalibration.Load(path);

        Assert.Equal(calibration, loaded);
        Assert.Contains("\"formatVersion\": 1", File.ReadAllText(path));
    }

    [Fact]
    public void CalibrationLoad_EmptyRange_Refused()
    {
        using var temp = TestData.NewTempFolder();
        var path = temp.Combine("c.json");
        File.WriteAllText(path, "{\"line\":\"a\",\"min\":1,\"max\":1,\"created\":\"2026-01-01T00:00:00Z\",\"formatVersion\":1}");

        var error = Assert.Throws<InvalidInputException>(() => MapCalibration.Load(path));

        Assert.Equal(path, error.InputPath);
    }
}
