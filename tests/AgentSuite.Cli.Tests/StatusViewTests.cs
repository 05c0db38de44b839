using AgentSuite.Cli.Api;
using AgentSuite.Cli.Rendering;
using Spectre.Console;

namespace AgentSuite.Cli.Tests;

/// <summary>How <c>agentsuite status</c> prints a server the Api's monitor has or has not checked yet.</summary>
public sealed class StatusViewTests
{
    [Fact]
    public void AServerNotCheckedYetIsNeitherLiveNorDown()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Out = new AnsiConsoleOutput(output) });
        var servers = new[]
        {
            new ServerStatus("billing", "stdio", Live: null, State: "unknown", Tools: [], CheckedAt: null, LastError: null, LastErrorAt: null),
            new ServerStatus("crm", "stdio", Live: true, State: "live", Tools: ["crm/create_case"], CheckedAt: DateTimeOffset.UtcNow, LastError: null, LastErrorAt: null),
        };

        StatusView.Render(console, new SystemStatus(null, servers, [], null, null, []));

        var text = output.ToString();
        Assert.Contains("(1 of 2 live)", text, StringComparison.Ordinal);
        var billing = Assert.Single(text.Split('\n'), l => l.Contains(" billing ", StringComparison.Ordinal));
        Assert.Contains("not checked yet", billing, StringComparison.Ordinal);
        Assert.DoesNotContain("down", billing, StringComparison.Ordinal);
    }
}
