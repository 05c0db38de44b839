using System.CommandLine;
using System.CommandLine.Help;

namespace AgentSuite.Cli.Commands;

/// <summary>Examples per command, printed after the usual <c>--help</c> text of that command.</summary>
internal sealed class HelpExamples
{
    private readonly Dictionary<Command, string[]> _examples = [];

    public void Add(Command command, params string[] lines) => _examples[command] = lines;

    /// <summary>
    /// Wraps the root's (recursive) help option so every command's help ends with its examples; returns that action,
    /// which commands with no work of their own (the root, <c>approvals</c>, <c>audit</c>) run when called bare.
    /// </summary>
    public ExamplesHelpAction InstallOn(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        var action = new ExamplesHelpAction((HelpAction)help.Action!, this);
        help.Action = action;
        return action;
    }

    public void WriteExamples(Command command, TextWriter output)
    {
        if (!_examples.TryGetValue(command, out var lines))
        {
            return;
        }

        output.WriteLine("Examples:");
        foreach (var line in lines)
        {
            output.WriteLine("  " + line);
        }

        output.WriteLine();
    }
}
