using AnomalyNcd.Contracts;
using AnomalyNcd.Contracts.Artefacts;
using AnomalyNcd.Contracts.Detection;
using AnomalyNcd.Grains.Detection;

namespace AnomalyNcd.Grains.Tests.Detection;

/// <summary>The rules of a line's detectors, without a cluster: normal images, the minimum to fit on, versions, promotion.</summary>
public class DetectorRegistryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ImagesToFit_NoneOrOneNormalImage_NotReadySayingHowToUploadThem()
    {
        var registry = new DetectorRegistry(new LineDetectorState(), "line-a");

        var none = Assert.Throws<RequestRejectedException>(registry.ImagesToFit);
        registry.AddNormal(Normal("n1", "a"));
        var one = Assert.Throws<RequestRejectedException>(registry.ImagesToFit);

        Assert.Equal(RejectionKind.NotReady, none.Kind);
        Assert.Contains("has 0 normal image(s)", none.Detail);
        Assert.Contains("normal=true", none.Detail);
        Assert.Contains("POST /api/lines/line-a/detector", none.Detail);
        Assert.Contains("has 1 normal image(s)", one.Detail);
        registry.AddNormal(Normal("n2", "b"));
        Assert.Equal(["n1", "n2"], registry.ImagesToFit().Select(n => n.ImageId));
    }

    [Fact]
    public void AddNormal_SameBytesAgainIsNoDuplicate_OtherBytesUnderTheIdAConflict()
    {
        var registry = new DetectorRegistry(new LineDetectorState(), "line-a");

        Assert.True(registry.AddNormal(Normal("n1", "a")));
        Assert.False(registry.AddNormal(Normal("n1", "a")));
        var conflict = Assert.Throws<RequestRejectedException>(() => registry.AddNormal(Normal("n1", "b")));

        Assert.Equal(RejectionKind.Conflict, conflict.Kind);
        Assert.Equal(1, registry.NormalImageCount);
    }

    [Fact]
    public void Register_NumbersVersionsInOrder_NeverPromotes_SameDetectorBytesKeepTheirVersion()
    {
        var state = new LineDetectorState();
        var registry = new DetectorRegistry(state, "line-a");

        var first = registry.Register(Fitted("line-a", "z1") with { PromotedBy = "someone" });
        var second = registry.Register(Fitted("line-a", "z2"));
        var again = registry.Register(Fitted("line-a", "z1"));

        Assert.Equal(("v1", "v2", "v1"), (first.Version, second.Version, again.Version));
        Assert.Null(first.PromotedBy);
        Assert.Null(registry.Promoted);
        Assert.Equal(2, registry.List().Versions.Length);
    }

    [Fact]
    public void Register_DetectorOfAnotherLine_Refused()
    {
        var registry = new DetectorRegistry(new LineDetectorState(), "line-a");

        var refused = Assert.Throws<RequestRejectedException>(() => registry.Register(Fitted("line-b", "z1")));

        Assert.Equal(RejectionKind.Invalid, refused.Kind);
        Assert.Empty(registry.List().Versions);
    }

    [Fact]
    public void Promote_RecordsWhoAndWhen_ReturnsTheVersionBefore_UnknownVersionNotFoundAndNothingChanged()
    {
        var registry = new DetectorRegistry(new LineDetectorState(), "line-a");
        registry.Register(Fitted("line-a", "z1"));
        registry.Register(Fitted("line-a", "z2"));

        var (firstPromoted, firstBefore) = registry.Promote("v1", "ana", Now);
        var (secondPromoted, secondBefore) = registry.Promote("v2", "ben", Now.AddHours(1));
        var unknown = Assert.Throws<RequestRejectedException>(() => registry.Promote("v7", "cy", Now));

        Assert.Equal((string.Empty, "ana", Now), (firstBefore, firstPromoted.PromotedBy, firstPromoted.PromotedAt!.Value));
        Assert.Equal(("v1", "ben"), (secondBefore, secondPromoted.PromotedBy));
        Assert.Equal(RejectionKind.NotFound, unknown.Kind);
        Assert.Equal("v2", registry.Promoted!.Version);
        Assert.Equal("v2", registry.List().Promoted);
    }

    private static NormalImage Normal(string id, string content) =>
        new(id, new ArtefactRef(new string(content[0], 64), "image", "png", 10), 32, 32, Now);

    private static DetectorVersion Fitted(string line, string content) =>
        new(string.Empty, line, new ArtefactRef(new string(content[1], 64), "detector", "zip", 100), 5, "normal calibration", Now, "op", null, null);
}
