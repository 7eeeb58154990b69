namespace AnomalyNcd.Core.Detection;

/// <summary>
/// How the nearest bank vector of each query is found (<see cref="NearestNeighbourSearch.Create(float[], int, NearestNeighbourMode, int, int)"/>).
/// The value options and callers name; it is not stored in a detector, so a saved detector loads with any mode.
/// </summary>
public enum NearestNeighbourMode
{
    /// <summary>Float32 distances to every bank vector (<see cref="ExactSearch"/>, the reference).</summary>
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
