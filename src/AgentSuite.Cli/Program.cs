using AgentSuite.Cli;

return await AgentSuiteCli.RunAsync(args, CliIo.FromProcess());
