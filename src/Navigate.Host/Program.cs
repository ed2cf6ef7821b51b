using Navigate.Host.Cli;

return NavigateCli.Run(args);
