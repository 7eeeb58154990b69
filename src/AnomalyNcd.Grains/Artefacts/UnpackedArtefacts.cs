using System.IO.Compression;

namespace AnomalyNcd.Grains.Artefacts;

/// <summary>Zip artefacts (model checkpoints, detectors) unpacked for code that reads a folder.</summary>
public static class UnpackedArtefacts
{
    /// <summary>
    /// Unpacks the zip once into <paramref name="folder"/>, named by the artefact's content so it is never stale
    /// (a temporary folder, then a move; a folder that exists already is the same content).
    /// </summary>
    public static string Unpack(string zipPath, string folder)
    {
        if (Directory.Exists(folder))
        {
            return folder;
        }

        var temporary = folder + "." + Guid.NewGuid().ToString("N")[..8] + ".part";
        ZipFile.ExtractToDirectory(zipPath, temporary);
        try
        {
            Directory.Move(temporary, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            Directory.Delete(temporary, recursive: true); // another activation unpacked the same artefact first
        }

        return folder;
    }
}
