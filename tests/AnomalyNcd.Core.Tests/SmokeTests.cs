namespace AnomalyNcd.Core.Tests;

public class SmokeTests
{
    [Fact]
    public void OpenCv_NativeLibraryLoads()
    {
        Assert.StartsWith("4.", OpenCvSharp.Cv2.GetVersionString());
    }
}
