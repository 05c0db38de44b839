using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;
using ModelContextProtocol.Client;

namespace AgentSuite.Api.Tests.FrontDoor;

/// <summary>
/// The persistent customer agent: an external agent with its own key asks for the INV-1002 refund over MCP, then keeps
/// retrying and rephrasing, 50 times over about a minute, in new conversations and in the same one, with no idempotency
/// key of its own and the mock's call ids random. The product, not a fixed key, pays the refund once.
/// </summary>
public sealed class PersistentCustomerAgentTests
{
    private const int Attempts = 50;
    private static readonly TimeSpan Spacing = TimeSpan.FromSeconds(1.2);

    private static readonly string[] Rephrasings =
    [
        "I was charged twice on INV-1002, please refund it",
        "Hello? I was charged twice on INV-1002 and I still see no refund.",
        "You double-charged me on INV-1002. Refund the duplicate charge now.",
        "Escalating: duplicate charge on INV-1002, refund it today.",
        "Final notice: I was double charged for INV-1002 and I want the money back.",
    ];

    private static readonly Regex Refunded = new(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is (RF-\d+)\.");
    private static readonly Regex AskLimit = new(@"^rate limit: 5 calls per minute for principal 'acme-refund-bot' \(Governance:Limits:AsksPerMinute\); retry after \d+ s\.$");
    private static readonly Regex ToolLimit = new(@"^I could not (hand this to billing|do this: the call to '\w+' was denied \(limits\)): Rate limit: more than 10 tool calls per minute on behalf of 'acme-refund-bot' \(Governance:Limits:PerPrincipalPerMinute\); retry after \d+ s\.");

    [Fact]
    public async Task FiftyRetriesOverAMinutePayTheRefundOnceAreEachAnsweredOrStoppedWithAReasonAndAPrincipalKillSwitchRefusesTheNext()
    {
        var settings = CustomerAgent.Settings();
        settings["Model:CallIds"] = "Random";
        // Set so both refusals occur whatever the machine's speed: one turn makes about four tool calls (the hand-off, the
        // invoice, the refund), so the second turn's refund fits within ten (answered from idempotency), while a minute's
        // five admitted asks need about twenty.
        settings["Governance:Limits:Principals:acme-refund-bot:AsksPerMinute"] = "5";
        settings["Governance:Limits:Principals:acme-refund-bot:PerPrincipalPerMinute"] = "10";
        await using var api = await ApiServer.StartAsync(settings);
        await using var bot = await AgentServerClient.ConnectAsync(api, CustomerAgent.Key);

        var answers = new List<(string Text, bool IsError)>();
        string? conversation = null;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Attempts; i++)
        {
            // On a schedule, so slow turns do not stretch the minute: every third attempt starts afresh, the others keep talking.
            var due = Spacing * i - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var arguments = new Dictionary<string, object?> { ["message"] = Rephrasings[i % Rephrasings.Length] };
            if (i % 3 != 0 && conversation is not null)
            {
                arguments["conversation_id"] = conversation;
            }

            var answer = await bot.AskAsync(arguments);
            answers.Add(answer);
            if (Regex.Match(answer.Text, @"\(conversation_id (conv_\w+)\)") is { Success: true } named)
            {
                conversation = named.Groups[1].Value;
            }
        }

        // Paid once, counted in Billing's own file: 49.00 on INV-1002, whatever was asked and however often.
        Assert.Equal((1L, 4900L), BillingRefunds.Paid(api, "INV-1002"));

        // Every attempt is the one refund again (from idempotency), or refused with a reason that says which limit and when to retry.
        Assert.All(answers, a => Assert.True(
            (!a.IsError && (Refunded.IsMatch(a.Text) || ToolLimit.IsMatch(a.Text))) || (a.IsError && AskLimit.IsMatch(a.Text)),
            $"Unexpected answer (isError {a.IsError}): {a.Text}"));
        Assert.Single(answers.Select(a => Refunded.Match(a.Text)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct());
        Assert.True(Refunded.IsMatch(answers[0].Text), answers[0].Text);
        Assert.Contains(answers, a => ToolLimit.IsMatch(a.Text));
        Assert.Contains(answers, a => AskLimit.IsMatch(a.Text));

        // From the audit, what the product did with the refund: run once, the retries answered from idempotency or stopped
        // by a limit, so Billing never had to refuse one itself (its "already fully refunded" would show as a second run).
        using var audit = api.ClientWithKey(DeskKeys.Ops);
        var refundRuns = (await audit.GetJsonAsync("/api/audit?kind=tool.completed&principal=acme-refund-bot&limit=1000")).EnumerateArray()
            .Concat((await audit.GetJsonAsync("/api/audit?kind=tool.failed&principal=acme-refund-bot&limit=1000")).EnumerateArray())
            .Count(e => e.GetProperty("tool").GetString() == "billing/issue_refund");
        var replays = (await audit.GetJsonAsync("/api/audit?kind=tool.replayed&principal=acme-refund-bot&limit=1000")).EnumerateArray()
            .Count(e => e.GetProperty("tool").GetString() == "billing/issue_refund");
        var limited = (await audit.GetJsonAsync("/api/audit?kind=tool.decision&principal=acme-refund-bot&limit=1000")).EnumerateArray()
            .Count(e => e.GetProperty("decision").GetString() == "denied" && e.GetProperty("reason").GetString()!.StartsWith("Rate limit:", StringComparison.Ordinal));
        Assert.True(refundRuns == 1, $"issue_refund ran {refundRuns} times (replayed {replays}, tool calls refused by the limit {limited})");
        Assert.True(replays >= 1, $"no issue_refund was answered from idempotency ({limited} tool calls refused by the limit)");
        Assert.True(limited >= 1, "no tool call was refused by PerPrincipalPerMinute");

        // An operator stops this one caller; its next attempt is refused at the door, and a person still gets through.
        using var ops = api.ClientWithKey(DeskKeys.Ops);
        using (var put = await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "principal:acme-refund-bot", engaged = true, reason = "retrying refunds at machine speed" }))
        {
            await put.JsonAsync(HttpStatusCode.OK);
        }

        var stopped = await bot.AskAsync(new() { ["message"] = Rephrasings[0] });
        Assert.Equal(("The kill switch 'principal:acme-refund-bot' is engaged; 'acme-refund-bot' may not ask any agent until an admin releases it.", true), stopped);
        using (var aliceOverHttp = api.ClientWithKey(DeskKeys.Alice))
        using (var botOverHttp = api.ClientWithKey(CustomerAgent.Key))
        {
            // Who was stopped is for the operators and the caller stopped, not for every other user.
            Assert.Empty((await aliceOverHttp.GetJsonAsync("/api/kill-switch")).GetProperty("engaged").EnumerateArray());
            Assert.Equal(["principal:acme-refund-bot"], (await botOverHttp.GetJsonAsync("/api/kill-switch")).GetProperty("engaged").EnumerateArray().Select(s => s.GetString()));
        }

        await using var alice = await AgentServerClient.ConnectAsync(api, DeskKeys.Alice);
        var alices = await alice.AskAsync(new() { ["message"] = "I was charged twice on INV-1002, please refund it" });
        Assert.True(Refunded.IsMatch(alices.Text), alices.Text);
        Assert.Equal((1L, 4900L), BillingRefunds.Paid(api, "INV-1002"));

        // The audit shows every attempt on arrival, under the agent's principal, each with the key the server gave it.
        var arrivals = (await ops.GetJsonAsync("/api/audit?kind=agent_call.received&principal=acme-refund-bot&limit=500")).EnumerateArray().ToList();
        Assert.Equal(Attempts + 1, arrivals.Count);
        Assert.All(arrivals, e =>
        {
            Assert.Equal("coordinator", e.GetProperty("agent").GetString());
            Assert.StartsWith("auto_", e.GetProperty("data").GetProperty("idempotencyKey").GetString(), StringComparison.Ordinal);
            Assert.Equal("http", e.GetProperty("data").GetProperty("transport").GetString());
            Assert.Matches("^[0-9a-f]{64}$", e.GetProperty("data").GetProperty("requestHash").GetString()!);
        });
        Assert.Equal(answers.Count(a => AskLimit.IsMatch(a.Text)) + 1, arrivals.Count(e => e.GetProperty("decision").GetString() == "refused"));
        Assert.Contains(arrivals, e => e.TryGetProperty("conversationId", out var c) && c.GetString() is { Length: > 0 });
        Assert.Equal("The kill switch 'principal:acme-refund-bot' is engaged; 'acme-refund-bot' may not ask any agent until an admin releases it.", arrivals[^1].GetProperty("reason").GetString());
    }
}
