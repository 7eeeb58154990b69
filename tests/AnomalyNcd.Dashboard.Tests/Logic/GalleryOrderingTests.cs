using AnomalyNcd.Contracts.Lines;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class GalleryOrderingTests
{
    [Fact]
    public void Order_PutsConfirmedFirstThenProposedThenRejected_EachByCountDescending()
    {
        var classes = new[]
        {
            Classes.Of("p-small", ClassStatus.Proposed, 3),
            Classes.Of("r-big", ClassStatus.Rejected, 500),
            Classes.Of("c-small", ClassStatus.Confirmed, 2, "scratch"),
            Classes.Of("p-big", ClassStatus.Proposed, 90),
            Classes.Of("c-big", ClassStatus.Confirmed, 40, "dent"),
        };

        var ordered = GalleryOrdering.Order(classes).Select(c => c.ClassId);

        Assert.Equal(["c-big", "c-small", "p-big", "p-small", "r-big"], ordered);
    }

    [Fact]
    public void Order_BreaksCountTiesByNameThenId()
    {
        var classes = new[]
        {
            Classes.Of("2", ClassStatus.Proposed, 5),
            Classes.Of("1", ClassStatus.Proposed, 5),
            Classes.Of("9", ClassStatus.Confirmed, 5, "Crack"),
            Classes.Of("8", ClassStatus.Confirmed, 5, "bubble"),
        };

        var ordered = GalleryOrdering.Order(classes).Select(c => c.ClassId);

        Assert.Equal(["8", "9", "1", "2"], ordered);
    }
}
