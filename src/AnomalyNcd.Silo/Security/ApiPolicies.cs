namespace AnomalyNcd.Silo.Security;

/// <summary>The authorization policies of <c>/api</c>: every endpoint needs <see cref="Read"/>; mutating ones need more.</summary>
public static class ApiPolicies
{
    /// <summary>Any authenticated role: viewer, ingest, operator, admin.</summary>
    public const string Read = "anomalyncd.api.read";

    /// <summary>Image uploads: ingest, operator, admin.</summary>
    public const string Upload = "anomalyncd.api.upload";

    /// <summary>Every other change (lines, settings, training, promotion): operator, admin.</summary>
    public const string Change = "anomalyncd.api.change";
}
