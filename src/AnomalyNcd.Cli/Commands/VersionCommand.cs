using System.CommandLine;

namespace AnomalyNcd.Cli.Commands;

internal static class VersionCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("info", "Print the program version and the native libraries it found.");
        command.SetAction(_ =>
        {
            context.Out.WriteLine($"anomalyncd {typeof(VersionCommand).Assembly.GetName().Version}");
            context.Out.WriteLine($"OpenCV {OpenCvSharp.Cv2.GetVersionString()}");
            return 0;
        });
        return command;
    }
}
