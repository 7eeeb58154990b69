using AnomalyNcd.Core.Common;

namespace AnomalyNcd.Core.Discovery;

/// <summary>
/// How much of a token cell a crop's mask must cover before the CLS query sees that token. The reference rule is half
/// (method-spec §8.3); a lower share lets thin and small defects show more of their edge cells.
/// </summary>
public static class TokenCoverage
{
    /// <summary>The reference: a token is visible when its cell is at least half covered.</summary>
    public const double Reference = 0.5;

    /// <summary>Refuses a share outside (0, 1].</summary>
    public static void Validate(double coverage)
    {
        if (!(coverage > 0 && coverage <= 1))
        {
            throw new InvalidInputException("--token-coverage", $"token coverage must be a share in (0, 1], got {coverage.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
    }
}
