using System.CommandLine;
using AgentSuite.Cli.Commands;

namespace AgentSuite.Cli;

/// <summary>The <c>agentsuite</c> command line: parses <c>args</c>, runs the command, returns the exit code.</summary>
public static class CliApplication
{
    public static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancellationToken = default)
    {
        var root = Build(io);
        var configuration = new InvocationConfiguration
        {
            Output = io.Out.Profile.Out.Writer,
            Error = io.Error.Profile.Out.Writer,
            // Ctrl+C cancels the command's token; in-process callers keep their own console handling.
            ProcessTerminationTimeout = io.HandlesCtrlC ? TimeSpan.FromSeconds(2) : null,
        };
        return await root.Parse(args).InvokeAsync(configuration, cancellationToken);
    }

    internal static RootCommand Build(CliIo io)
    {
        var global = new GlobalOptions();
        var examples = new HelpExamples();
        var runner = new CommandRunner(io, global);
        var root = new RootCommand("agentsuite: chat with the AgentSuite agents, decide approvals, read the audit trail and pull kill switches, over the Api's HTTP interface.");
        global.AddTo(root);
        var help = examples.InstallOn(root);
        Func<ParseResult, int> showHelp = help.Invoke;

        root.Subcommands.Add(ChatCommand.Create(runner, examples));
        root.Subcommands.Add(ConversationsCommand.Create(runner, examples, showHelp));
        root.Subcommands.Add(ApprovalsCommand.Create(runner, examples, showHelp));
        root.Subcommands.Add(AuditCommand.Create(runner, examples, showHelp));
        root.Subcommands.Add(KillSwitchCommand.Create(runner, examples));
        root.Subcommands.Add(StatusCommand.Create(runner, examples));
        root.Subcommands.Add(ToolsCommand.Create(runner, examples, showHelp));
        root.Subcommands.Add(MetricsCommand.Create(runner, examples));
        root.Subcommands.Add(WhoAmICommand.Create(runner, examples));
        root.SetAction(showHelp);
        examples.Add(root,
            "agentsuite chat -m \"I was charged twice on INV-1002, please refund it\"",
            "agentsuite --user alice chat                      # demo mode: act as alice",
            "agentsuite conversations follow conv_0123abcd     # re-attach to a turn under way",
            "agentsuite --user bob approvals list",
            "agentsuite --user bob approvals approve apr_0123abcd --comment ok",
            "agentsuite audit show conv_0123abcd",
            "agentsuite audit verify",
            "agentsuite kill-switch engage agent:billing",
            "agentsuite status",
            "agentsuite metrics                                # turns, approvals, denials, failures: last hour and day",
            "agentsuite --url http://127.0.0.1:5080 --api-key $KEY approvals list");
        return root;
    }
}
