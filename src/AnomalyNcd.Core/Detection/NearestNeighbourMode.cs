namespace AnomalyNcd.Core.Detection;

/// <summary>How <see cref="NearestNeighbourSearch"/> finds each query's nearest bank vector.</summary>
public enum NearestNeighbourMode
{
    /// <summary>Float32 distances to every bank vector.</summary>
    Exact,

    /// <summary>
    /// A lower bound on the distance (principal axes of the bank plus the residual length) ranks the bank cheaply and
    /// the best candidates are measured at full dimension: a true distance to a bank vector, the nearest one whenever
    /// the nearest vector is shortlisted.
    /// </summary>
    Shortlist,


    /// <summary>
    /// <see cref="Shortlist"/> with the ranking and the candidate selection done in one register-blocked AVX-512 pass
    /// (<see cref="BlockedShortlistRanker"/>): the same candidates, far less time. Falls back to <see cref="Shortlist"/>
    /// where AVX-512 is not available.
    /// </summary>
    BlockedShortlist,
}
