using AnomalyNcd.Core.Cropping;
using AnomalyNcd.Core.Imaging;
using OpenCvSharp;

namespace AnomalyNcd.Core.Tests.Cropping;

public class CropBoxPlannerTests
{
    private static readonly CropBox[] Chain =
    [
        new(0, 0, 200, 200),
        new(190, 0, 390, 200),
        new(380, 0, 580, 200),
        new(570, 0, 770, 200),
    ];

    [Fact]
    public void MergeBoxes_ChainOfFour_KeepsTwoOverlappingBoxesLikeReference()
    {
        // method-spec §16 vector 3 (official output).
        var merged = CropBoxPlanner.MergeBoxes(Chain, 2000, 2000);

        Assert.Equal([new CropBox(0, -190, 580, 390), new CropBox(190, -190, 770, 390)], merged);
    }

    [Fact]
    public void MergeBoxes_TransitiveMerging_ChainBecomesOneSquare()
    {
        var options = CropOptions.Parity with { TransitiveMerging = true };

        var merged = CropBoxPlanner.MergeBoxes(Chain, 2000, 2000, options);

        Assert.Equal([new CropBox(0, -285, 770, 485)], merged);
    }

    [Fact]
    public void MergeBoxes_ClampMergedBoxes_ShiftsBoxesInsideImage()
    {
        var options = CropOptions.Parity with { ClampMergedBoxes = true };

        var merged = CropBoxPlanner.MergeBoxes(Chain, 2000, 2000, options);

        Assert.Equal([new CropBox(0, 0, 580, 580), new CropBox(190, 0, 770, 580)], merged);
    }

    [Fact]
    public void MergeBoxes_ClampMergedBoxes_ClipsSquareTallerThanImage()
    {
        CropBox[] overlapping = [new(0, 0, 60, 60), new(40, 0, 100, 60)];

        var parity = CropBoxPlanner.MergeBoxes(overlapping, 100, 60);
        var clamped = CropBoxPlanner.MergeBoxes(overlapping, 100, 60, CropOptions.Parity with { ClampMergedBoxes = true });

        Assert.Equal([new CropBox(0, -20, 100, 80)], parity);
        Assert.Equal([new CropBox(0, 0, 100, 60)], clamped);
    }

    [Fact]
    public void MergeBoxes_GroupOfThree_SquaresAfterEveryUnionInCoordinateOrder()
    {
        // P, Q (right of P) and R (below P) form one group. Value order P, R, Q gives the reference's box;
        // list order P, Q, R would give (-2.5, -5, 22.5, 20), and one union squared once (-2.5, -2.5, 22.5, 22.5).
        CropBox[] boxes = [new(0, 0, 10, 10), new(10, 0, 20, 10), new(0, 10, 10, 20)];

        var merged = CropBoxPlanner.MergeBoxes(boxes, 1000, 1000);

        Assert.Equal([new CropBox(-5, -2.5, 20, 22.5)], merged);
    }

    [Fact]
    public void MergeBoxes_SingleNonSquareBox_IsKeptUnchanged()
    {
        var merged = CropBoxPlanner.MergeBoxes([new CropBox(0, 0, 900, 600)], 900, 600);

        Assert.Equal([new CropBox(0, 0, 900, 600)], merged);
    }

    [Fact]
    public void MergeBoxes_DistantBoxes_SortedByAreaDescendingStable()
    {
        CropBox[] boxes = [new(0, 0, 10, 10), new(500, 500, 540, 540), new(900, 0, 940, 40)];

        var merged = CropBoxPlanner.MergeBoxes(boxes, 1000, 1000);

        Assert.Equal([boxes[1], boxes[2], boxes[0]], merged);
    }

    [Theory]
    [InlineData(0, 0, 10, 10, 20, 0, 10, 10, 10)] // apart along x only: horizontal gap
    [InlineData(0, 0, 10, 10, 0, 13, 10, 10, 3)] // apart along y only: vertical gap
    [InlineData(0, 0, 10, 10, 13, 14, 10, 10, 5)] // apart on both axes: corner distance sqrt(3² + 4²)
    [InlineData(0, 0, 10, 10, 5, 5, 10, 10, -1)] // overlap
    [InlineData(0, 0, 10, 10, 10, 0, 10, 10, 0)] // touching
    public void Gap_CoversEveryCase(double x1, double y1, double w1, double h1, double x2, double y2, double w2, double h2, double expected)
    {
        var gap = CropBoxPlanner.Gap(new CropBox(x1, y1, x1 + w1, y1 + h1), new CropBox(x2, y2, x2 + w2, y2 + h2));

        Assert.Equal(expected, gap, 12);
    }

    [Fact]
    public void SquareBoxForRegion_TruncatesCentreAndHalfSideLikePythonInt()
    {
        var options = CropOptions.Parity with { MinCropSize = 0 };

        // centre x = int(6.5) = 6, centre y = int(9.5) = 9, half side = int(9 · 1.1 · 0.5) = int(4.95) = 4.
        var box = CropBoxPlanner.SquareBoxForRegion(new Rect(3, 5, 7, 9), 1000, 1000, options);

        Assert.Equal(new CropBox(2, 5, 10, 13), box);
    }

    [Fact]
    public void SquareBoxForRegion_SmallRegion_UsesMinimumSizeAndShiftsInside()
    {
        var box = CropBoxPlanner.SquareBoxForRegion(new Rect(880, 580, 20, 20), 900, 600);

        Assert.Equal(new CropBox(720, 420, 900, 600), box);
    }

    [Fact]
    public void SquareBoxForRegion_SquareWiderThanShortSide_SticksOut()
    {
        // Half side int(0.5 · 300) = 150 on a 300 × 100 image: the 300 px square leaves the image at the bottom.
        var box = CropBoxPlanner.SquareBoxForRegion(new Rect(0, 0, 300, 100), 300, 100);

        Assert.Equal(new CropBox(0, 0, 300, 300), box);
    }

    [Fact]
    public void FindRegions_SortsByAreaThenXAndSkipsRegionsInsideHoles()
    {
        var mask = new GrayImage(100, 100);
        Fill(mask, new Rect(60, 5, 4, 5)); // area 20
        Fill(mask, new Rect(10, 5, 5, 4)); // area 20, smaller x: first
        Fill(mask, new Rect(30, 40, 30, 30)); // ring with a dot inside its hole
        Clear(mask, new Rect(35, 45, 20, 20));
        Fill(mask, new Rect(44, 54, 2, 2));

        var regions = CropBoxPlanner.FindRegions(mask);

        Assert.Equal([new Rect(10, 5, 5, 4), new Rect(60, 5, 4, 5), new Rect(30, 40, 30, 30)], regions);
    }

    [Fact]
    public void Plan_ThreeRegionsEstThree_GivesThree180PixelSquares()
    {
        var plan = CropBoxPlanner.Plan(ThreeRegionMask(), 3);

        Assert.Equal([new CropBox(0, 0, 180, 180), new CropBox(315, 230, 495, 410), new CropBox(720, 420, 900, 600)], plan.Boxes);
        Assert.Equal(plan.BoxesBeforeMerge, plan.BoxesMerged);
    }

    [Fact]
    public void Plan_ThreeRegionsEstOne_KeepsEstPlusOneBoxes()
    {
        var plan = CropBoxPlanner.Plan(ThreeRegionMask(), 1);

        Assert.Equal(3, plan.BoxesMerged.Count);
        Assert.Equal([new CropBox(0, 0, 180, 180), new CropBox(315, 230, 495, 410)], plan.Boxes);
    }

    [Fact]
    public void Plan_EmptyMaskEstZero_GivesWholeImage()
    {
        var plan = CropBoxPlanner.Plan(new GrayImage(900, 600), 0);

        Assert.Empty(plan.Regions);
        Assert.Equal([new CropBox(0, 0, 900, 600)], plan.Boxes);
    }

    /// <summary>method-spec §16 vector 4: 600 × 900 image, three small regions.</summary>
    internal static GrayImage ThreeRegionMask()
    {
        var mask = new GrayImage(900, 600);
        Fill(mask, new Rect(10, 10, 20, 10)); // rows 10–19, cols 10–29
        Fill(mask, new Rect(400, 300, 10, 40)); // rows 300–339, cols 400–409
        Fill(mask, new Rect(880, 580, 20, 20)); // rows 580–599, cols 880–899
        return mask;
    }

    private static void Fill(GrayImage mask, Rect area) => Paint(mask, area, 255);

    private static void Clear(GrayImage mask, Rect area) => Paint(mask, area, 0);

    private static void Paint(GrayImage mask, Rect area, byte value)
    {
        for (var y = area.Y; y < area.Bottom; y++)
        {
            for (var x = area.X; x < area.Right; x++)
            {
                mask[x, y] = value;
            }
        }
    }

    /// <summary>A 256² mask with six separate 6×6 defects, 12–40 px apart: a board with several small defects.</summary>
    private static GrayImage SixSmallDefects()
    {
        var mask = new GrayImage(256, 256);
        foreach (var (x, y) in new[] { (40, 40), (70, 44), (100, 40), (40, 90), (160, 160), (200, 170) })
        {
            for (var dy = 0; dy < 6; dy++)
            {
                for (var dx = 0; dx < 6; dx++)
                {
                    mask.Pixels[((y + dy) * 256) + x + dx] = 255;
                }
            }
        }

        return mask;
    }

    [Fact]
    public void Plan_CropEveryRegion_GivesEachSmallDefectItsOwnCropWhereTheReferenceMergesAndCuts()
    {
        var mask = SixSmallDefects();

        var parity = CropBoxPlanner.Plan(mask, estimatedRegions: 2);
        var everyRegion = CropBoxPlanner.Plan(mask, estimatedRegions: 2, CropOptions.Parity with { CropEveryRegion = true, MinCropSize = 0.02 });

        Assert.True(parity.Boxes.Count < 6, $"the reference kept {parity.Boxes.Count} crops");
        Assert.Equal(6, everyRegion.Boxes.Count);
        Assert.All(everyRegion.Boxes, box => Assert.InRange(box.Width, 6, 12)); // around its own 6×6 defect, not a 51-px square
        Assert.Equal(6, everyRegion.Boxes.Select(b => (b.CenterX, b.CenterY)).Distinct().Count());
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.6)]
    [InlineData(double.NaN)]
    public void ValidateMinCropSize_OutOfRange_NamesTheOption(double value)
    {
        var error = Assert.Throws<AnomalyNcd.Core.Common.InvalidInputException>(() => CropOptions.ValidateMinCropSize(value));

        Assert.Equal("--min-crop-size", error.InputPath);
    }
}
