namespace AnomalyNcd.Core.Detection;

/// <summary>
/// Distance from each query to its nearest memory-bank vector. <see cref="ExactSearch"/> measures every bank vector
/// and is the reference the faster searches are tested against; <see cref="ShortlistSearch"/> and
/// <see cref="BlockedShortlistSearch"/> measure only a shortlist. Build one with <see cref="NearestNeighbourSearch.Create(float[], int, NearestNeighbourMode, int, int)"/>.
/// Not for concurrent use: callers batch queries (several images at once) instead.
/// </summary>
public interface INearestNeighbourSearch : IDisposable
{
    int Dimension { get; }

    /// <summary>Bank vectors.</summary>
    int Count { get; }

    /// <summary>The search this is (<see cref="NearestNeighbourMode.Exact"/> when a shortlist would not save work).</summary>
    NearestNeighbourMode Mode { get; }

    /// <summary>Distance of every query row ([queries, Dimension], row-major) to its nearest bank vector.</summary>
    /// <param name="threads">Threads the <see cref="NearestNeighbourMode.BlockedShortlist"/> search may split the queries over (the others use TorchSharp's threads).</param>
    float[] Distances(float[] queries, int threads = 1);
}
