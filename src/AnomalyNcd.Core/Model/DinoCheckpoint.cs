using System.Text;
using System.Text.Json;
using AnomalyNcd.Core.Common;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AnomalyNcd.Core.Model;

/// <summary>
/// Loads DINO weights into a module by their PyTorch key names, strictly (method-spec §8.1): a PyTorch
/// <c>torch.save</c> state dict (zip format) or a safetensors file. Anything that is not exactly the
/// module's key set and shapes is refused with a message naming the file and the first offending keys.
/// </summary>
public static class DinoCheckpoint
{
    private const int KeysNamedPerProblem = 3;

    public static void Load(nn.Module module, string path)
    {
        if (!File.Exists(path))
        {
            throw new InvalidInputException(path, "checkpoint file not found");
        }

        var expected = module.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.shape);
        if (IsSafetensors(path))
        {
            CheckCompatible(path, ReadSafetensorsShapes(path), expected);
            Guard(path, () => module.load_safetensors(path, strict: true));
        }
        else
        {
            var stateDict = ReadPyTorchStateDict(path);
            try
            {
                CheckCompatible(path, stateDict.ToDictionary(entry => entry.Key, entry => entry.Value.shape), expected);
                Guard(path, () => module.load_state_dict(stateDict, strict: true));
            }
            finally
            {
                foreach (var tensor in stateDict.Values)
                {
                    tensor.Dispose();
                }
            }
        }
    }

    /// <summary>Writes the module's state with its parameter names as safetensors (atomically).</summary>
    public static void SaveSafetensors(nn.Module module, string path) =>
        WriteAtomically(path, stream => module.save_safetensors(stream, leaveOpen: true));

    /// <summary>Writes the module's state in PyTorch's <c>torch.save</c> state-dict format (atomically).</summary>
    public static void SavePyTorch(nn.Module module, string path) =>
        WriteAtomically(path, stream => module.save_py(stream, leaveOpen: true));

    private static void WriteAtomically(string path, Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        write(buffer);
        AtomicFile.WriteAllBytes(path, new ReadOnlySpan<byte>(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static void CheckCompatible(string path, IReadOnlyDictionary<string, long[]> found, IReadOnlyDictionary<string, long[]> expected)
    {
        var missing = expected.Keys.Where(key => !found.ContainsKey(key)).ToList();
        var unexpected = found.Keys.Where(key => !expected.ContainsKey(key)).ToList();
        var wrongShape = expected.Keys
            .Where(key => found.TryGetValue(key, out var shape) && !shape.SequenceEqual(expected[key]))
            .Select(key => $"{key} [{string.Join(", ", found[key])}] (model needs [{string.Join(", ", expected[key])}])")
            .ToList();
        if (missing.Count == 0 && unexpected.Count == 0 && wrongShape.Count == 0)
        {
            return;
        }

        var problems = new List<string>();
        if (missing.Count > 0)
        {
            problems.Add("missing " + FirstFew(missing));
        }

        if (unexpected.Count > 0)
        {
            problems.Add("unexpected " + FirstFew(unexpected));
        }

        if (wrongShape.Count > 0)
        {
            problems.Add("wrong shape " + FirstFew(wrongShape));
        }

        throw new InvalidInputException(path, "checkpoint of another architecture: " + string.Join("; ", problems));
    }

    private static string FirstFew(IReadOnlyList<string> items)
    {
        var named = string.Join(", ", items.Take(KeysNamedPerProblem));
        return items.Count > KeysNamedPerProblem ? $"{named} (+{items.Count - KeysNamedPerProblem} more)" : named;
    }

    private static bool IsSafetensors(string path)
    {
        // torch.save writes a zip ("PK"); safetensors starts with an 8-byte header length, then '{'.
        using var stream = File.OpenRead(path);
        Span<byte> start = stackalloc byte[9];
        return stream.Read(start) == 9 && start[8] == (byte)'{';
    }

    private static Dictionary<string, long[]> ReadSafetensorsShapes(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream);
            var headerLength = reader.ReadUInt64();
            if (headerLength > (ulong)Math.Min(stream.Length - 8, 100_000_000))
            {
                throw new InvalidInputException(path, "not a safetensors file (header length out of range)");
            }

            var header = Encoding.UTF8.GetString(reader.ReadBytes((int)headerLength));
            using var document = JsonDocument.Parse(header);
            var shapes = new Dictionary<string, long[]>();
            foreach (var entry in document.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    continue;
                }

                shapes[entry.Name] = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            }

            return shapes;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or EndOfStreamException)
        {
            throw new InvalidInputException(path, $"not a readable safetensors file ({e.Message})", e);
        }
    }

    private static Dictionary<string, Tensor> ReadPyTorchStateDict(string path)
    {
        var table = Guard(path, () => PyTorchUnpickler.UnpickleStateDict(path));
        var stateDict = new Dictionary<string, Tensor>();
        foreach (var key in table.Keys)
        {
            if (key is string name && table[key] is Tensor tensor)
            {
                stateDict[name] = tensor;
            }
            else
            {
                throw new InvalidInputException(path, $"not a state dict of tensors (entry '{key}' is {table[key]?.GetType().Name ?? "null"})");
            }
        }

        return stateDict;
    }

    private static T Guard<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidInputException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new InvalidInputException(path, $"cannot read checkpoint: {e.Message}", e);
        }
    }
}
