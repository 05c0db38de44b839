using System.Collections.Concurrent;
using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Agents.Tests;

public sealed class ConversationServiceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly Principal Alice = new("alice", Roles.User);

    [Fact]
    public async Task EachTurnIsStoredAndTheNextTurnSeesTheHistory()
    {
        var model = new ScriptedChatClient().For("coordinator", m =>
            ScriptedChatClient.Say($"reply {m.Count(x => x.Role == ChatRole.User)} to '{m.Last(x => x.Role == ChatRole.User).Text}'"));
        await using var h = new AgentHarness(model);
        var conversation = await h.Conversations.CreateAsync(Alice);

        var first = await h.Conversations.SendAsync(conversation.Id, Alice, "hello").WaitAsync(Patience);
        var second = await h.Conversations.SendAsync(conversation.Id, Alice, "again").WaitAsync(Patience);

        Assert.Equal("reply 1 to 'hello'", first.Reply);
        Assert.Equal("reply 2 to 'again'", second.Reply);
        Assert.NotEqual(first.RunId, second.RunId);
        var stored = await h.Conversations.GetAsync(conversation.Id);
        Assert.Equal(
            [("user", null, "hello"), ("assistant", "coordinator", "reply 1 to 'hello'"), ("user", null, "again"), ("assistant", "coordinator", "reply 2 to 'again'")],
            stored!.Messages.Select(m => (m.Role, m.Agent, m.Text)));
    }

    [Fact]
    public async Task MessageSentMidTurnIsRefusedAndTheTurnStillCompletes()
    {
        var events = new ConcurrentQueue<GovernanceEvent>();
        var sink = new Sink(events);
        var model = new ScriptedChatClient()
            .For("coordinator", m => ScriptedChatClient.ToolResults(m) == 0
                ? ScriptedChatClient.Call("ask_billing", new() { ["request"] = System.Text.Json.JsonSerializer.SerializeToElement("refund") })
                : ScriptedChatClient.Say("done"))
            .For("billing", m => ScriptedChatClient.ToolResults(m) == 0
                ? ScriptedChatClient.Call("billing_issue_refund", new()
                {
                    ["invoice_id"] = System.Text.Json.JsonSerializer.SerializeToElement("INV-1002"),
                    ["charge_id"] = System.Text.Json.JsonSerializer.SerializeToElement("CH-2"),
                    ["amount"] = System.Text.Json.JsonSerializer.SerializeToElement(49m),
                    ["idempotency_key"] = System.Text.Json.JsonSerializer.SerializeToElement("k"),
                })
                : ScriptedChatClient.Say("refunded"));
        await using var h = new AgentHarness(model, g => g.Approval.Rules.Add(new ApprovalRuleOptions { Tool = "billing/issue_refund" }));
        var conversation = await h.Conversations.CreateAsync(Alice);

        var turn = h.Conversations.SendAsync(conversation.Id, Alice, "refund my duplicate charge", sink);
        GovernanceEvent? pending = null;
        for (var i = 0; i < 300 && pending is null; i++)
        {
            await Task.Delay(50);
            pending = events.FirstOrDefault(e => e.Type == GovernanceEventTypes.ApprovalPending);
        }

        Assert.NotNull(pending);
        var busy = await Assert.ThrowsAsync<ConversationBusyException>(() => h.Conversations.SendAsync(conversation.Id, Alice, "hello?"));
        Assert.Contains("still working on the previous message", busy.Message, StringComparison.Ordinal);

        await h.Services.GetRequiredService<ApprovalService>().DecideAsync(pending.ApprovalId!, new Principal("bob", Roles.Approver), approve: true, null);
        var result = await turn.WaitAsync(Patience);

        Assert.Equal("done", result.Reply);
        Assert.Equal(GovernanceEventTypes.TurnCompleted, events.Last().Type);
        Assert.Equal(["user", "assistant"], (await h.Conversations.GetAsync(conversation.Id))!.Messages.Select(m => m.Role));
    }

    [Fact]
    public async Task FailedTurnKeepsTheUserMessageAndSaysItFailed()
    {
        var events = new ConcurrentQueue<GovernanceEvent>();
        var model = new ScriptedChatClient().For("coordinator", _ => throw new HttpRequestException("model endpoint unreachable"));
        await using var h = new AgentHarness(model);
        var conversation = await h.Conversations.CreateAsync(Alice);

        await Assert.ThrowsAsync<HttpRequestException>(() => h.Conversations.SendAsync(conversation.Id, Alice, "are you there?", new Sink(events)));

        var failed = events.Single(e => e.Type == GovernanceEventTypes.TurnFailed);
        Assert.Contains("model endpoint unreachable", failed.Reason, StringComparison.Ordinal);
        Assert.Equal([("user", "are you there?")], (await h.Conversations.GetAsync(conversation.Id))!.Messages.Select(m => (m.Role, m.Text)));

        // The conversation is not stuck: the next message gets its own turn.
        await Assert.ThrowsAsync<HttpRequestException>(() => h.Conversations.SendAsync(conversation.Id, Alice, "hello?"));
    }

    [Fact]
    public async Task SpecialistModelWithNoAnswerFailsTheTurnWithItsReplyAndDetail()
    {
        var events = new ConcurrentQueue<GovernanceEvent>();
        var model = new ScriptedChatClient()
            .For("coordinator", _ => ScriptedChatClient.Call("ask_billing", new() { ["request"] = System.Text.Json.JsonSerializer.SerializeToElement("refund") }))
            .For("billing", _ => throw new ModelNoAnswerException("Our billing desk cannot answer that.", "no rule for 'refund' in billing"));
        await using var h = new AgentHarness(model);
        var conversation = await h.Conversations.CreateAsync(Alice);

        await Assert.ThrowsAsync<ModelNoAnswerException>(() => h.Conversations.SendAsync(conversation.Id, Alice, "refund it", new Sink(events)));

        var failed = events.Single(e => e.Type == GovernanceEventTypes.TurnFailed);
        Assert.Equal(("Our billing desk cannot answer that.", "no rule for 'refund' in billing"), (failed.Reply, failed.Reason));
        Assert.Equal([("user", "refund it"), ("assistant", "Our billing desk cannot answer that.")],
            (await h.Conversations.GetAsync(conversation.Id))!.Messages.Select(m => (m.Role, m.Text)));
    }

    [Fact]
    public void AgentRuntimeDoesNotDependOnTheMockModel()
    {
        var references = typeof(ConversationService).Assembly.GetReferencedAssemblies().Select(a => a.Name);

        Assert.DoesNotContain("AgentSuite.Models", references);
    }

    [Fact]
    public async Task UnknownConversationIsNotFound()
    {
        await using var h = new AgentHarness(new ScriptedChatClient());

        var events = new ConcurrentQueue<GovernanceEvent>();

        var ex = await Assert.ThrowsAsync<KeyNotFoundException>(() => h.Conversations.SendAsync("conv_missing", Alice, "hi", new Sink(events)));

        Assert.Contains("conv_missing", ex.Message, StringComparison.Ordinal);
        Assert.Empty(events);
    }

    private sealed class Sink(ConcurrentQueue<GovernanceEvent> events) : IGovernanceEventSink
    {
        public void Publish(GovernanceEvent governanceEvent) => events.Enqueue(governanceEvent);
    }
}
