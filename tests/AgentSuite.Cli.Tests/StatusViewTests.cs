using AgentSuite.Cli.Api;
using AgentSuite.Cli.Rendering;
using Spectre.Console;

namespace AgentSuite.Cli.Tests;

/// <summary>How <c>agentsuite status</c> prints a server the Api's monitor has or has not checked yet, and the Api instances.</summary>
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

    [Fact]
    public void InstancesShowWhichOneAnsweredWhichAreGoneAndAPolicyVersionThatDiffers()
    {
        var output = new StringWriter();
        var console = CliIo.PlainConsole(output);
        var now = DateTimeOffset.UtcNow;
        var instances = new[]
        {
            new ApiInstanceStatus("web-1/41/a1b2c3", now.AddMinutes(-5), now, "3f9a1c0b7d2e", now.AddMinutes(-5), "1.0.0", Gone: false, This: true),
            new ApiInstanceStatus("web-2/42/d4e5f6", now.AddMinutes(-4), now.AddSeconds(-3), "0123456789ab", now.AddMinutes(-4), "1.0.0", Gone: false, This: false),
            new ApiInstanceStatus("web-3/43/aaaaaa", now.AddHours(-2), now.AddHours(-1), "3f9a1c0b7d2e", now.AddHours(-2), null, Gone: true, This: false),
        };

        StatusView.Render(console, new SystemStatus(null, [], [], null, new PolicyStatus("3f9a1c0b7d2e", now, null), [], [], instances));

        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.Contains("Api instances (2 of 3 live", StringComparison.Ordinal));
        Assert.Matches(@"web-1/41/a1b2c3 \(this one\).*3f9a1c0b7d2e.*live", Assert.Single(lines, l => l.Contains("web-1/", StringComparison.Ordinal)));
        Assert.Matches(@"0123456789ab \(differs\).*live", Assert.Single(lines, l => l.Contains("web-2/", StringComparison.Ordinal)));
        Assert.Matches(@"3f9a1c0b7d2e.*gone", Assert.Single(lines, l => l.Contains("web-3/", StringComparison.Ordinal)));
    }
}
