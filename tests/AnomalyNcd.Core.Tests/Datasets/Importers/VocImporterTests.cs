using System.Globalization;
using System.Xml.Linq;
using AnomalyNcd.Core.Datasets.Importers;
using AnomalyNcd.Core.Imaging;

namespace AnomalyNcd.Core.Tests.Datasets.Importers;

public class VocImporterTests
{
    private static string Annotation(int width, int height, params (string Name, string XMin, string YMin, string XMax, string YMax)[] boxes) =>
        $"""
        <annotation>
          <size><width>{width}</width><height>{height}</height><depth>3</depth></size>
          {string.Concat(boxes.Select(b => $"<object><name>{b.Name}</name><bndbox><xmin>{b.XMin}</xmin><ymin>{b.YMin}</ymin><xmax>{b.XMax}</xmax><ymax>{b.YMax}</ymax></bndbox></object>"))}
        </annotation>
        """;

    /// <summary>i1: one class, two boxes; i2: two classes; i3: no boxes; i4: no annotation; i5: annotation only; i6: a box reaching outside.</summary>
    private static string BuildTree(TempFolder temp)
    {
        var root = temp.Combine("voc");
        foreach (var stem in new[] { "i1", "i2", "i3", "i4", "i6" })
        {
            SyntheticImages.Write(Path.Combine(root, "JPEGImages", stem + ".jpg"), width: 20, height: 10, value: 60);
        }

        var annotations = Path.Combine(root, "Annotations");
        SyntheticImages.WriteText(Path.Combine(annotations, "i1.xml"), Annotation(20, 10, ("dent", "1", "1", "2", "3"), ("dent", "11", "5", "20", "10")));
        SyntheticImages.WriteText(Path.Combine(annotations, "i2.xml"), Annotation(20, 10, ("dent", "1", "1", "2", "2"), ("rust", "5", "5", "10", "10"), ("dent", "15", "1", "15", "1")));
        SyntheticImages.WriteText(Path.Combine(annotations, "i3.xml"), Annotation(20, 10));
        SyntheticImages.WriteText(Path.Combine(annotations, "i5.xml"), Annotation(20, 10, ("dent", "1", "1", "2", "2")));
        SyntheticImages.WriteText(Path.Combine(annotations, "i6.xml"), Annotation(20, 10, ("rust", "18.2", "0", "25", "4"), ("rust", "5", "9", "3", "9"), ("rust", "x", "1", "2", "2")));
        return root;
    }

    [Fact]
    public void Import_KeepsSingleClassImagesWithBoxMasks()
    {
        using var temp = TestData.NewTempFolder();
        var root = BuildTree(temp);

        var result = new VocImporter().Import(new ImportContext(root, temp.Combine("out", "voc.csv")));

        Assert.Equal(["../voc/JPEGImages/i1.jpg", "../voc/JPEGImages/i6.jpg"], result.Rows.Select(r => r.Image));
        Assert.Equal(["dent", "rust"], result.Rows.Select(r => r.Label));
        Assert.Equal("voc_masks/i1.png", result.Rows[0].Mask);
        Assert.All(result.Rows, r => Assert.Equal("voc", r.Line));

        // VOC corners are 1-based and inclusive: (1,1)-(2,3) covers columns 0..1, rows 0..2.
        var mask = ImageFiles.ReadGray(temp.Combine("out", "voc_masks", "i1.png"));
        Assert.Equal((20, 10), (mask.Width, mask.Height));
        Assert.All(mask.Pixels, p => Assert.True(p is 0 or 255));
        Assert.Equal((2 * 3) + (10 * 6), mask.CountNonZero());
        Assert.Equal(255, mask[1, 2]);
        Assert.Equal(0, mask[2, 2]);
        Assert.Equal(255, mask[19, 9]);
    }

    [Fact]
    public void Import_ReportsSkippedUnpairedAndBadBoxes()
    {
        using var temp = TestData.NewTempFolder();
        var root = BuildTree(temp);

        var result = new VocImporter(temp.Combine("masks")).Import(new ImportContext(root, temp.Combine("voc.csv")));

        string[] Of(ImportWarningKind kind) => result.Warnings.Where(w => w.Kind == kind).Select(w => Path.GetFileName(w.Path)).Order().ToArray();
        Assert.Equal(["i4.jpg", "i5.xml"], Of(ImportWarningKind.Unpaired));
        Assert.Equal(["i2.xml", "i3.xml"], Of(ImportWarningKind.Skipped));
        Assert.Equal(["i6.xml", "i6.xml", "i6.xml"], Of(ImportWarningKind.BadBox));

        // The first i6 box, (18.2,0)-(25,4), is clamped to columns 17..19, rows 0..3; the other two are dropped.
        var mask = ImageFiles.ReadGray(temp.Combine("masks", "i6.png"));
        Assert.Equal(3 * 4, mask.CountNonZero());
        Assert.Equal(255, mask[17, 0]);
    }

    [Fact]
    public void Import_KeepMulti_LabelsByLargestTotalAreaAndMasksOnlyThatClass()
    {
        using var temp = TestData.NewTempFolder();
        var root = BuildTree(temp);

        var result = new VocImporter(temp.Combine("masks"), keepMulti: true).Import(new ImportContext(root, temp.Combine("voc.csv")));

        var row = Assert.Single(result.Rows, r => r.Image.EndsWith("i2.jpg", StringComparison.Ordinal));
        Assert.Equal("rust", row.Label); // rust 6x6 = 36 pixels against dent 2x2 + 1x1 = 5
        var mask = ImageFiles.ReadGray(temp.Combine("masks", "i2.png"));
        Assert.Equal(36, mask.CountNonZero());
        Assert.Equal(0, mask[0, 0]);
    }

    [Fact]
    public void Import_RealPvMultiDefect_Gives935SingleClassRowsWithBoxMasks()
    {
        var root = TestData.RequireFile("pv-multi-defect");
        using var temp = TestData.NewTempFolder();
        var manifest = temp.Combine("pv.csv");

        var result = new VocImporter().Import(new ImportContext(root, manifest));

        Assert.Equal(935, result.Rows.Count);
        var counts = result.Rows.GroupBy(r => r.Label!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(
            new Dictionary<string, int> { ["scratch"] = 597, ["black_border"] = 122, ["hot_spot"] = 100, ["broken"] = 62, ["no_electricity"] = 54 },
            counts);
        Assert.Equal(2, result.CountWarnings(ImportWarningKind.Unpaired)); // img3059, img9513

        // A handful of masks: 0/255, image size, every box's corners and centre set.
        foreach (var row in result.Rows.Where((_, i) => i % 150 == 0))
        {
            var image = Path.Combine(temp.Path, row.Image);
            var mask = ImageFiles.ReadGray(Path.Combine(temp.Path, row.Mask!));
            using var decoded = ImageFiles.ReadRgb(image);
            Assert.Equal((decoded.Width, decoded.Height), (mask.Width, mask.Height));
            Assert.All(mask.Pixels, p => Assert.True(p is 0 or 255));
            var xml = XDocument.Load(Path.Combine(root, "Annotations", Path.GetFileNameWithoutExtension(image) + ".xml"));
            var covered = 0L;
            foreach (var box in xml.Root!.Elements("object").Select(o => o.Element("bndbox")!))
            {
                int Corner(string tag) => int.Parse(box.Element(tag)!.Value, CultureInfo.InvariantCulture) - 1;
                var (x0, y0, x1, y1) = (Corner("xmin"), Corner("ymin"), Corner("xmax"), Corner("ymax"));
                Assert.Equal(255, mask[x0, y0]);
                Assert.Equal(255, mask[x1, y1]);
                Assert.Equal(255, mask[(x0 + x1) / 2, (y0 + y1) / 2]);
                covered += (long)(x1 - x0 + 1) * (y1 - y0 + 1);
            }

            // Overlapping boxes can only make the union smaller than the sum.
            Assert.InRange(mask.CountNonZero(), 1, covered);
        }
    }
}
