using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests.FrontDoor;

/// <summary>Daily token budgets per principal, counted from the usage the (mock) model reports, over MCP and HTTP.</summary>
public sealed class TokenBudgetApiTests
{
    private const string Refund = "I was charged twice on INV-1002, please refund it";

    private static readonly Regex Spent = new(@"^token budget: principal '(?<who>[^']+)' has spent (?<spent>\d+) of its 1 model tokens for today \(UTC\) \(Governance:Limits:DailyTokens\); retry after \d+ s, when the day ends\.");

    [Fact]
    public async Task AnAgentThatCrossesItsBudgetMidTurnStopsAtTheNextModelCallAndIsThenRefusedAtTheDoorEvenAfterARestart()
    {
        var settings = CustomerAgent.Settings();
        settings["Governance:Limits:Principals:acme-refund-bot:DailyTokens"] = "1";
        settings["Governance:Limits:Principals:bob:DailyTokens"] = "5000";
        await using var first = await ApiServer.StartAsync(settings);
        await using (var bot = await AgentServerClient.ConnectAsync(first, CustomerAgent.Key))
        {
            // The first model call is within budget and spends it; the next one is refused, so the turn stops there.
            var crossed = await bot.AskAsync(new() { ["message"] = Refund });
            Assert.True(crossed.IsError, crossed.Text);
            Assert.Contains("token budget: principal 'acme-refund-bot' has spent", crossed.Text, StringComparison.Ordinal);
        }

        Assert.Equal((0L, 0L), BillingRefunds.Paid(first, "INV-1002"));
        await using var api = await first.RestartAsync(settings);
        await using var again = await AgentServerClient.ConnectAsync(api, CustomerAgent.Key);

        // Over budget: refused at once, no turn and no conversation, with the reason.
        var refused = await again.AskAsync(new() { ["message"] = Refund });
        Assert.True(refused.IsError);
        Assert.Equal("acme-refund-bot", Spent.Match(refused.Text).Groups["who"].Value);
        using var botOverHttp = api.ClientWithKey(CustomerAgent.Key);
        Assert.Single((await botOverHttp.GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray());

        using var ops = api.ClientWithKey(DeskKeys.Ops);
        var exceeded = (await ops.GetJsonAsync("/api/audit?kind=budget.exceeded&principal=acme-refund-bot")).EnumerateArray().ToList();
        Assert.True(exceeded.Count >= 2, $"{exceeded.Count} budget.exceeded entries");
        Assert.All(exceeded, e => Assert.Equal("denied", e.GetProperty("decision").GetString()));
        Assert.Contains(exceeded, e => e.GetProperty("data").GetProperty("refused").GetString() == "model call");
        Assert.Contains(exceeded, e => e.GetProperty("data").GetProperty("refused").GetString() == "ask_coordinator");

        // The status shows each principal's spending today against its budget, a budget not yet touched too.
        var budgets = (await ops.GetJsonAsync("/api/status")).GetProperty("budgets").EnumerateArray().ToDictionary(b => b.GetProperty("principal").GetString()!);
        var botBudget = budgets["acme-refund-bot"];
        Assert.Equal((1L, true, 0L), (botBudget.GetProperty("limit").GetInt64(), botBudget.GetProperty("exceeded").GetBoolean(), botBudget.GetProperty("remaining").GetInt64()));
        Assert.Equal(long.Parse(Spent.Match(refused.Text).Groups["spent"].Value, System.Globalization.CultureInfo.InvariantCulture), botBudget.GetProperty("spent").GetInt64());
        Assert.Equal(botBudget.GetProperty("inputTokens").GetInt64() + botBudget.GetProperty("outputTokens").GetInt64(), botBudget.GetProperty("spent").GetInt64());
        Assert.Equal((0L, 5000L, false), (budgets["bob"].GetProperty("spent").GetInt64(), budgets["bob"].GetProperty("limit").GetInt64(), budgets["bob"].GetProperty("exceeded").GetBoolean()));
    }

    [Fact]
    public async Task OverHttpAPrincipalOverBudgetGets429WithRetryAfterMidTurnAndBeforeTheNextTurn()
    {
        var settings = DeskKeys.Settings();
        settings["Governance:Limits:DailyTokens"] = "1";
        await using var api = await ApiServer.StartAsync(settings);
        using var alice = api.ClientWithKey(DeskKeys.Alice);

        var id = await alice.NewConversationAsync();
        using (var crossed = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = Refund }))
        {
            var detail = await crossed.ProblemAsync(HttpStatusCode.TooManyRequests, "token budget: principal 'alice' has spent");
            Assert.EndsWith("Your message was kept.", detail, StringComparison.Ordinal);
            Assert.True(crossed.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }

        var next = await alice.NewConversationAsync();
        using (var refused = await alice.PostAsJsonAsync($"/api/conversations/{next}/messages", new { text = Refund }))
        {
            var detail = await refused.ProblemAsync(HttpStatusCode.TooManyRequests, "Your message was not sent.");
            Assert.Matches(Spent, detail);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }

        Assert.Equal(0, (await alice.GetJsonAsync($"/api/conversations/{next}")).GetProperty("messages").GetArrayLength());
        Assert.Equal((0L, 0L), BillingRefunds.Paid(api, "INV-1002"));
    }
}
