using AnomalyNcd.Contracts.Images;
using AnomalyNcd.Dashboard.Logic;
using AnomalyNcd.Dashboard.Tests.Support;

namespace AnomalyNcd.Dashboard.Tests.Logic;

public sealed class ImageZoomTests
{
    [Fact]
    public void ZoomIn_GrowsUpToTheMaximum_WheelUpZoomsIn()
    {
        var zoom = new ImageZoom();
        Assert.False(zoom.CanZoomOut);
        zoom.Wheel(-100);
        Assert.Equal(ImageZoom.Step, zoom.Scale, 3);
        for (var i = 0; i < 20; i++)
        {
            zoom.ZoomIn();
        }

        Assert.Equal(ImageZoom.Max, zoom.Scale);
        Assert.False(zoom.CanZoomIn);
    }

    [Fact]
    public void Pan_OnlyWhenZoomed_AndZoomingBackToFitCentresTheImage()
    {
        var zoom = new ImageZoom();
        zoom.Pan(10, 10);
        Assert.Equal("translate(0px, 0px) scale(1)", zoom.Transform);

        zoom.ZoomIn();
        zoom.Pan(10, -5.5);
        Assert.Equal("translate(10px, -5.5px) scale(1.25)", zoom.Transform);

        zoom.Wheel(100);
        Assert.Equal(ImageZoom.Min, zoom.Scale);
        Assert.Equal((0.0, 0.0), (zoom.PanX, zoom.PanY));
        zoom.ZoomOut();
        Assert.Equal(ImageZoom.Min, zoom.Scale);
    }
}

public sealed class ImageNavigationTests
{
    [Fact]
    public void Neighbours_AreTheIdsAroundTheCurrentOne()
    {
        string[] ids = ["i3", "i2", "i1"];
        Assert.Equal((null, "i2"), ImageNavigation.Neighbours(ids, "i3"));
        Assert.Equal(("i3", "i1"), ImageNavigation.Neighbours(ids, "i2"));
        Assert.Equal(("i2", null), ImageNavigation.Neighbours(ids, "i1"));
        Assert.Equal((null, null), ImageNavigation.Neighbours(ids, "other"));
    }

    [Fact]
    public void Filter_RoundTripsThroughTheQueryAndMatchesImages()
    {
        var filter = ImagePageFilter.Parse("c 1", "Classified");
        Assert.Equal("?class=c%201&status=classified", filter.Query());
        Assert.True(filter.Matches(Regions.Image("a", null, Regions.Of("a", 0, "c 1", 0.9))));
        Assert.False(filter.Matches(Regions.Image("b", null, Regions.Of("b", 0, "c2", 0.9))));

        var none = ImagePageFilter.Parse(" ", "bogus");
        Assert.True(none.IsEmpty);
        Assert.Equal(string.Empty, none.Query());
    }

    [Fact]
    public void StatusText_NeverShowsTheRawEnumName()
    {
        Assert.Equal("no anomaly found", ImageNavigation.StatusText(ImageStatus.NoAnomaly));
        foreach (var status in new[] { ImageStatus.Received, ImageStatus.Binarised, ImageStatus.NoAnomaly })
        {
            Assert.NotEqual(status.ToString().ToLowerInvariant(), ImageNavigation.StatusText(status));
        }
    }
}
