using AnomalyNcd.Cli;

return await AnomalyNcdCli.RunAsync(args, Console.Out, Console.Error);
