namespace AnomalyNcd.Core.Common;

/// <summary>
/// Bad user input (a file, folder or value) that the product refuses with one clear line.
/// The message always names the offending path (when there is one) and the problem.
/// </summary>
public sealed class InvalidInputException : Exception
{
    public InvalidInputException(string? path, string problem, Exception? inner = null)
        : base(path is null ? problem : $"{path}: {problem}", inner)
    {
        InputPath = path;
        Problem = problem;
    }

    public string? InputPath { get; }

    public string Problem { get; }
}
