using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.MockModelServer.Tests.Support;
using AgentSuite.Models;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Api.Tests.Model;

/// <summary>
/// The real Api, plugins and mock (in process, or the mock model server over HTTP as the AppHost runs it) when the demo
/// script has no answer: the customer is told so plainly, the turn fails, and the detail goes to the developer.
/// </summary>
public sealed class HonestMockApiTests
{
    private const string ChargedTwice = "I was charged twice on INV-1003";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChargedTwiceOnAnInvoiceWithOneChargeGetsTheHonestReplyAFailedTurnAndNoRefund(bool overHttp)
    {
        await using var model = overHttp ? await MockModelServerProcess.StartAsync() : null;
        var logs = new CapturingLoggerProvider();
        await using var api = await ApiServer.StartAsync(Settings(model), builder => builder.Logging.AddProvider(logs));
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        await using (var stream = await EventStream.SendAsync(alice, id, ChargedTwice))
        {
            var failed = (await stream.ReadUntilAsync("turn.failed"))!.Value;
            AssertHonest(failed.GetProperty("text").GetString());
            var reason = failed.GetProperty("reason").GetString()!;
            Assert.StartsWith("The mock script 'demo.yaml' has no answer for agent 'billing', user message \"I was charged twice on INV-1003\", model call 2 (rule 'refund a duplicate charge'", reason, StringComparison.Ordinal);
            Assert.Contains("{{results.billing_get_invoice.charges.1.amount}} in the arguments of 'policy_check_refund' of the step has no value", reason, StringComparison.Ordinal);
            Assert.Contains("line", reason, StringComparison.Ordinal);

            // The specialist's miss fails the hand-off and the turn; nothing of it reaches the customer as text.
            Assert.DoesNotContain(stream.Received, e => e.GetProperty("type").GetString() is "turn.completed" or "message.delta");
            Assert.Contains(stream.Received, e => e.GetProperty("type").GetString() == "tool.failed" && Tool(e) == "agents/ask_billing");
            Assert.DoesNotContain(stream.Received, e => Tool(e) is "policy/check_refund" or "billing/issue_refund");
        }

        await AssertStoredAsync(alice, id, "agent 'billing'");
        Assert.Equal((0L, 0L), BillingRefunds.Paid(api, "INV-1003"));
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning AgentSuite.Agents.ConversationService: ", StringComparison.Ordinal)
            && l.Contains("{{results.billing_get_invoice.charges.1.amount}}", StringComparison.Ordinal));
        if (model is not null)
        {
            Assert.Contains("The mock script cannot answer this request", model.Output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnUnscriptedMessageGetsTheHonestReplyAsA502WithTheDetailForTheDeveloper(bool overHttp)
    {
        await using var model = overHttp ? await MockModelServerProcess.StartAsync() : null;
        var logs = new CapturingLoggerProvider();
        await using var api = await ApiServer.StartAsync(Settings(model), builder => builder.Logging.AddProvider(logs));
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        using (var response = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "hello" }))
        {
            var detail = await response.ProblemAsync(HttpStatusCode.BadGateway, MockScriptMissException.CustomerReply);
            AssertHonest(detail);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("The model has no answer", problem.GetProperty("title").GetString());
            AssertHonest(problem.GetProperty("reply").GetString());
            Assert.Contains("has no answer for agent 'coordinator', user message \"hello\", model call 1: no rule matches this message. Add a rule for it under 'agents: coordinator:'",
                problem.GetProperty("reason").GetString(), StringComparison.Ordinal);
            var failed = Assert.Single(problem.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "turn.failed");
            AssertHonest(failed.GetProperty("text").GetString());
            Assert.Equal(problem.GetProperty("reason").GetString(), failed.GetProperty("reason").GetString());
        }

        await AssertStoredAsync(alice, id, "agent 'coordinator'");
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning AgentSuite.Agents.ConversationService: ", StringComparison.Ordinal) && l.Contains("no rule matches this message", StringComparison.Ordinal));

        // The conversation goes on: a scripted message is answered as ever after the miss.
        var next = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "Please open a case about my login" });
        Assert.StartsWith("I opened case", next.GetProperty("reply").GetString(), StringComparison.Ordinal);
    }

    /// <summary>The conversation keeps the honest reply as its answer; its failed turn keeps the detail as its reason.</summary>
    private static async Task AssertStoredAsync(HttpClient client, string id, string agent)
    {
        var conversation = await client.GetJsonAsync($"/api/conversations/{id}");
        var answer = conversation.GetProperty("messages").EnumerateArray().Last();
        Assert.Equal(("assistant", "coordinator"), (answer.GetProperty("role").GetString(), answer.GetProperty("agent").GetString()));
        AssertHonest(answer.GetProperty("text").GetString());
        var turn = conversation.GetProperty("turn");
        Assert.Equal("failed", turn.GetProperty("status").GetString());
        Assert.Contains($"The mock script 'demo.yaml' has no answer for {agent}", turn.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("docs/mock-model.md", turn.GetProperty("reason").GetString(), StringComparison.Ordinal);

        // The recorded trail ends as the live stream did, for whoever re-attaches later.
        var trail = await client.GetJsonAsync($"/api/conversations/{id}/turns/current/events");
        var failed = trail.GetProperty("events").EnumerateArray().Last();
        Assert.Equal("turn.failed", failed.GetProperty("type").GetString());
        AssertHonest(failed.GetProperty("text").GetString());
        Assert.Equal(turn.GetProperty("reason").GetString(), failed.GetProperty("reason").GetString());
    }

    private static string? Tool(JsonElement e) => e.TryGetProperty("tool", out var tool) ? tool.GetString() : null;

    private static void AssertHonest(string? text)
    {
        Assert.Equal(MockScriptMissException.CustomerReply, text);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("line", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("yaml", text, StringComparison.OrdinalIgnoreCase);
    }

    private static Dictionary<string, string?> Settings(MockModelServerProcess? model) => model is null ? [] : new()
    {
        ["Model:Provider"] = "OpenAI",
        ["Model:Endpoint"] = model.V1.ToString(),
        ["Model:Name"] = MockChatClient.ModelId,
    };
}
