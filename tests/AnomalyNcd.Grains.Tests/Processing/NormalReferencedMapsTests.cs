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
        var read = NormalReferencedMaps.ToGray(AnomalyMapFile.Read(stored, "map." + NormalReferencedMaps.Extension));

        Assert.Equal((64, 48), (read.Width, read.Height));
        Assert.Equal(pixels, read.Pixels);
    }

    [Fact]
    public void ToGray_FloatValues_RoundedAndClampedToTheEightBitScale()
    {
        var map = new FloatMap(4, 1, [-3f, 0.6f, 254.4f, 300f]);

        Assert.Equal(new byte[] { 0, 1, 254, 255 }, NormalReferencedMaps.ToGray(map).Pixels);
    }
}
