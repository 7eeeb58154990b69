using System.Text;

namespace AnomalyNcd.Grains.Images;

/// <summary>
/// Which inference grain of a model's pool serves an image: "line/version/slot", the slot a stable hash of
/// the image id (FNV-1a, not string.GetHashCode, which differs between processes) modulo the pool size.
/// </summary>
public static class InferencePool
{
    public const int Slots = 2;

    public static string Key(string lineId, string modelVersion, int slot) => $"{lineId}/{modelVersion}/{slot}";

    public static int SlotOf(string imageId, int slots = Slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(imageId))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % (uint)slots);
    }
}
