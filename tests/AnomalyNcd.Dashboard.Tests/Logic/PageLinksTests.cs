using AnomalyNcd.Contracts.Regions;
using AnomalyNcd.Dashboard.Logic;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class PageLinksTests
{
    [Fact]
    public void LineOf_FindsTheLineOfLinePagesOnly()
    {
        Assert.Equal("press 7", PageLinks.LineOf("lines/press%207/metrics?x=1"));
        Assert.Equal("a", PageLinks.LineOf("lines/a"));
        Assert.Null(PageLinks.LineOf(""));
        Assert.Null(PageLinks.LineOf("account/login"));
    }

    [Fact]
    public void Similar_EscapesIdsAndNamesTheRegion()
    {
        Assert.Equal("lines/l%2F1/images/img%201/regions/3/similar", PageLinks.Similar(new RegionKey("l/1", "img 1", 3)));
    }
}
