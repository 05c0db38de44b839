using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace AgentSuite.Cli.Commands;

/// <summary>The standard help, then the examples of the command it is shown for.</summary>
internal sealed class ExamplesHelpAction(HelpAction inner, HelpExamples examples) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var result = inner.Invoke(parseResult);
        examples.WriteExamples(parseResult.CommandResult.Command, parseResult.InvocationConfiguration.Output);
        return result;
    }
}
