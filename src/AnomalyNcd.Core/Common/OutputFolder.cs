namespace AnomalyNcd.Core.Common;

/// <summary>
/// Builds a command's outputs in a hidden staging folder beside the target and swaps them in only when
/// everything succeeded, so a failed run never leaves partial output looking complete and never
/// damages the results of an earlier run.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private bool _committed;

    public OutputFolder(string target)
    {
        Target = Path.GetFullPath(target);
        if (File.Exists(Target))
        {
            throw new InvalidInputException(Target, "output path is a file, expected a folder");
        }

        Directory.CreateDirectory(Target);
        Staging = Path.Combine(Target, $".staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Staging);
    }

    public string Target { get; }

    /// <summary>Write everything here; paths below it mirror the final layout.</summary>
    public string Staging { get; }

    public string StagingPath(params string[] parts) => Path.Combine([Staging, .. parts]);

    /// <summary>Moves every staged entry into the target, replacing same-named entries.</summary>
    public void Commit()
    {
        var retired = Path.Combine(Target, $".retired-{Guid.NewGuid():N}");
        // Folders first, summary files last: a reader that sees the summary sees the rest too.
        foreach (var entry in Directory.EnumerateFileSystemEntries(Staging).OrderBy(e => File.Exists(e) ? 1 : 0))
        {
            var destination = Path.Combine(Target, Path.GetFileName(entry));
            if (Directory.Exists(destination) || File.Exists(destination))
            {
                Directory.CreateDirectory(retired);
                var parked = Path.Combine(retired, Path.GetFileName(entry));
                if (Directory.Exists(destination))
                {
                    Directory.Move(destination, parked);
                }
                else
                {
                    File.Move(destination, parked);
                }
            }

            if (Directory.Exists(entry))
            {
                Directory.Move(entry, destination);
            }
            else
            {
                File.Move(entry, destination);
            }
        }

        _committed = true;
        TryDelete(retired);
        TryDelete(Staging);
    }

    public void Dispose()
    {
        if (!_committed)
        {
            TryDelete(Staging);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
