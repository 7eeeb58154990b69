using AnomalyNcd.Core.Common;
using AnomalyNcd.Core.Discovery;

namespace AnomalyNcd.Core.Tests.Discovery;

public class DiscoveryStepsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void CheckNovelClassCount_OutsideOneToTheCropCount_IsRefusedNamingTheRange(int classes)
    {
        var error = Assert.Throws<InvalidInputException>(() => DiscoverySteps.CheckNovelClassCount(classes, 5, "m.csv", "the split has 5 crop(s)"));

        Assert.Contains($"{classes} novel classes requested but the split has 5 crop(s); choose between 1 and 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckNovelClassCount_AsManyAsTheCrops_IsAccepted()
    {
        DiscoverySteps.CheckNovelClassCount(5, 5, null, "there are 5 unlabelled crop(s)");
        DiscoverySteps.CheckNovelClassCount(1, 5, null, "there are 5 unlabelled crop(s)");
    }

    [Fact]
    public void ClassNames_AreTheNovelClassNamesInOrder()
    {
        Assert.Equal(["class-0", "class-1", "class-2"], DiscoverySteps.ClassNames(3));
    }
}
