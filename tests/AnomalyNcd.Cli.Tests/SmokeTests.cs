namespace AnomalyNcd.Cli.Tests;

public class SmokeTests
{
    [Fact]
    public async Task Info_PrintsOpenCvVersion()
    {
        var stdout = new StringWriter();
        var code = await AnomalyNcdCli.RunAsync(["info"], stdout, new StringWriter());
        Assert.Equal(0, code);
        Assert.Contains("OpenCV 4.", stdout.ToString());
    }
}
