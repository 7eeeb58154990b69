namespace AnomalyNcd.Cli;

/// <summary>Where a command writes; tests pass string writers, the program passes the console.</summary>
public sealed class CliContext(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;
}
