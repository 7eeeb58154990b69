using AnomalyNcd.Core.Imaging;
using AnomalyNcd.Core.Maps;
using AnomalyNcd.Grains.Processing;

namespace AnomalyNcd.Grains.Tests.Processing;

/// <summary>A detector's scaled map survives being stored: read back, it is binarised on exactly the values it was scaled to.</summary>
public class NormalReferencedMapsTests
{
    [Fact]
    public void EncodeThenRead_GivesBackTheSameEightBitValues()
    {
        var pixels = Enumerable.Range(0, 64 * 48).Select(i => (byte)(i * 7 % 256)).ToArray();
        var scaled = new GrayImage(64, 48, (byte[])pixels.Clone());

        var stored = NormalReferencedMaps.Encode(scaled);
        var read = NormalReferencedMaps.Calibration("line").Apply(AnomalyMapFile.Read(stored, "map." + NormalReferencedMaps.Extension));

        Assert.Equal((64, 48), (read.Width, read.Height));
        Assert.Equal(pixels, read.Pixels);
    }

    [Fact]
    public void Calibration_IsTheIdentityOnTheEightBitScale_ClampsOthers_AndSearchesMebinsWholeRange()
    {
        var calibration = NormalReferencedMaps.Calibration("line");
        var every = new FloatMap(256, 1, [.. Enumerable.Range(0, 256).Select(v => (float)v)]);

        Assert.Equal(Enumerable.Range(0, 256).Select(v => (byte)v), calibration.Apply(every).Pixels);
        Assert.Equal(new byte[] { 0, 255 }, calibration.Apply(new FloatMap(2, 1, [-3f, 300f])).Pixels);
        Assert.Equal(NormalReferencedScale.MebinRange, calibration.MebinRange);
    }
}
