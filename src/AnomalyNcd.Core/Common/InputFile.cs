namespace AnomalyNcd.Core.Common;

/// <summary>
/// Reads a whole input file, or throws an <see cref="InvalidInputException"/> that names the file and says whether it
/// is missing or unreadable (the one place for that rule; <paramref name="what"/> names the kind of file in the message).
/// </summary>
public static class InputFile
{
    public static byte[] ReadAllBytes(string path, string what = "file") => Read(path, what, File.ReadAllBytes);

    public static string[] ReadAllLines(string path, string what = "file") => Read(path, what, File.ReadAllLines);

    private static T Read<T>(string path, string what, Func<string, T> read)
    {
        if (!File.Exists(path))
        {
            throw new InvalidInputException(path, $"{what} does not exist");
        }

        try
        {
            return read(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(path, $"cannot read {what} ({ex.Message})", ex);
        }
    }
}
