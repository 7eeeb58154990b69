namespace AnomalyNcd.Core.Synthetic;

/// <summary>
/// The product lines of the factory. The first six are hand-picked so that lines differ in texture,
/// colour and defect mix; further lines draw their recipe from the seed.
/// </summary>
public static class LineCatalog
{
    private static readonly (SurfaceKind Surface, bool IsColor, DefectKind[] Kinds, (float, float, float) Tint)[] Templates =
    [
        (SurfaceKind.BrushedMetal, false, [DefectKind.Scratch, DefectKind.Spot, DefectKind.Crack, DefectKind.Stain], (1f, 1f, 1f)),
        (SurfaceKind.WovenTextile, true, [DefectKind.Stain, DefectKind.Contamination, DefectKind.MissingPiece, DefectKind.Scratch], (0.55f, 0.75f, 1.25f)),
        (SurfaceKind.SpeckledCeramic, false, [DefectKind.Crack, DefectKind.Spot, DefectKind.MissingPiece, DefectKind.Contamination, DefectKind.Stain], (1f, 1f, 1f)),
        (SurfaceKind.WoodGrain, true, [DefectKind.Crack, DefectKind.Stain, DefectKind.Spot, DefectKind.Scratch], (1.3f, 0.92f, 0.6f)),
        (SurfaceKind.BrushedMetal, true, [DefectKind.Scratch, DefectKind.Contamination, DefectKind.MissingPiece], (0.8f, 1.0f, 1.2f)),
        (SurfaceKind.SpeckledCeramic, true, [DefectKind.Spot, DefectKind.Stain, DefectKind.Crack, DefectKind.Contamination], (1.15f, 1.05f, 0.85f)),
    ];

    /// <summary>line-a .. line-z, then line-aa .. line-zz.</summary>
    public static string LineName(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, SyntheticOptions.MaxLines);
        if (index < 26)
        {
            return "line-" + (char)('a' + index);
        }

        var rest = index - 26;
        return "line-" + (char)('a' + (rest / 26)) + (char)('a' + (rest % 26));
    }

    /// <summary>The recipe of line <paramref name="index"/>; a pure function of index and seed.</summary>
    public static LineRecipe Create(int index, int seed)
    {
        var random = new Random(SeedMixer.Mix(seed, index, -1));
        var transposed = random.NextDouble() < 0.5;
        var featureScale = 0.8 + (0.4 * random.NextDouble());
        var clutterGain = 0.6 + (0.8 * random.NextDouble());
        if (index < Templates.Length)
        {
            var t = Templates[index];
            return new LineRecipe(LineName(index), t.Surface, t.IsColor, t.Kinds, t.Tint, transposed, featureScale, clutterGain);
        }

        var surface = (SurfaceKind)random.Next(Enum.GetValues<SurfaceKind>().Length);
        var isColor = random.NextDouble() < 0.5;
        var allKinds = Enum.GetValues<DefectKind>().ToArray();
        random.Shuffle(allKinds);
        var kinds = allKinds.Take(random.Next(3, 6)).ToArray();
        (float, float, float) tint = isColor
            ? ((float)(0.6 + (0.7 * random.NextDouble())), (float)(0.6 + (0.7 * random.NextDouble())), (float)(0.6 + (0.7 * random.NextDouble())))
            : (1f, 1f, 1f);
        return new LineRecipe(LineName(index), surface, isColor, kinds, tint, transposed, featureScale, clutterGain);
    }
}
