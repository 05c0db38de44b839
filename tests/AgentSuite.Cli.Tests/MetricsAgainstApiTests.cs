using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

/// <summary><c>agentsuite metrics</c> against the real Api: the two windows as a table, the same figures as JSON, and a bad instant.</summary>
public sealed class MetricsAgainstApiTests
{
    [Fact]
    public async Task TheTableShowsTheLastHourAndDayOfRealTurnsAndJsonGivesTheSameFigures()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();
        var options = new CliOptions { Timeout = TimeSpan.FromSeconds(120) };
        foreach (var message in new[] { "I was charged twice on INV-1002, please refund it", "I was charged twice on INV-9999, please refund it" })
        {
            var chat = await CliRunner.RunAsync(["--url", url, "--user", "alice", "chat", "-m", message], options);
            Assert.True(chat.ExitCode == 0, chat.ToString());
        }

        var table = await CliRunner.RunAsync("--url", url, "--user", "ops", "metrics");

        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Out.Split('\n');
        Assert.Contains("last hour (5 min buckets)", table.Out, StringComparison.Ordinal);
        Assert.Contains("last day (60 min buckets)", table.Out, StringComparison.Ordinal);
        Assert.Matches(@"│ Turns\s+│ 2 +·{11}█ *│ 2 +·{23}█ *│", Assert.Single(lines, l => l.Contains("│ Turns", StringComparison.Ordinal)));
        Assert.Matches(@"│ +completed / failed\s+│ 2 / 0\s+│ 2 / 0\s+│", Assert.Single(lines, l => l.Contains("completed / failed", StringComparison.Ordinal)));
        Assert.Matches(@"│ +per turn\s+│ 0\s+│ 0\s+│", Assert.Single(lines, l => l.Contains("per turn", StringComparison.Ordinal)));
        Assert.Matches(@"│ +wait p50 / p95\s+│ - / -\s+│ - / -\s+│", Assert.Single(lines, l => l.Contains("wait p50", StringComparison.Ordinal)));
        Assert.Matches(@"│ +by tool\s+│ billing/get_invoice 1\s+│ billing/get_invoice 1\s+│", Assert.Single(lines, l => l.Contains("by tool", StringComparison.Ordinal)));

        var json = await CliRunner.RunAsync("--url", url, "--user", "ops", "metrics", "--json");

        Assert.True(json.ExitCode == 0, json.ToString());
        var windows = JsonSerializer.Deserialize<JsonElement>(json.Out).GetProperty("windows");
        Assert.Equal(2, windows[0].GetProperty("turns").GetProperty("count").GetInt64());
        Assert.Equal(1, windows[1].GetProperty("failures").GetProperty("byTool").GetProperty("billing/get_invoice").GetInt64());
    }

    [Fact]
    public async Task AnInstantThatIsNotIso8601IsTheApisProblem()
    {
        await using var api = await ApiServer.StartAsync();

        var result = await CliRunner.RunAsync("--url", api.BaseAddress.ToString(), "metrics", "--at", "yesterday");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("at 'yesterday' is not an ISO 8601 date or instant", result.Error, StringComparison.Ordinal);
        Assert.Contains("(HTTP 400", result.Error, StringComparison.Ordinal);
    }
}
