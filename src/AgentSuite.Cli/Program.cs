using AgentSuite.Cli;

return await CliApplication.RunAsync(args, CliIo.FromProcess());
