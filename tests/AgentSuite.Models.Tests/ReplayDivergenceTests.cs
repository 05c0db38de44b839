using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

/// <summary>A replay throws where the run leaves the recording, saying where: file, agent, user message, model call, difference.</summary>
public sealed class ReplayDivergenceTests
{
    private const string Refund = "refund the duplicate charge on INV-1002";
    private const string Denial = "The arguments break the rule 'amount <= 20' (amount is 49.00).";

    private static readonly ChatOptions Billing = Chat.For("billing", "billing_get_invoice", "billing_issue_refund");

    /// <summary>Billing refunds in two model calls: the refund call, then (after it came back ok) the confirmation.</summary>
    private static Task<MockChatClient> RecordRefundAsync(TempFolder folder, string outcome = "ok", ChatOptions? options = null)
    {
        var model = new CannedChatClient(
            CannedChatClient.Calls(new FunctionCallContent("call_1", "billing_issue_refund", new Dictionary<string, object?> { ["amount"] = 49.00m })),
            CannedChatClient.Text(outcome == "ok" ? "Refunded 49.00; the refund id is RF-2001." : "The billing system refused the refund."));
        return Replays.RecordAsync(folder, model,
            (Recording.Ask("billing", Refund), options ?? Chat.For("billing", "billing_get_invoice", "billing_issue_refund")),
            (AfterRefund(outcome == "ok" ? Json.Envelope("billing/issue_refund", new { refund_id = "RF-2001" }) : Json.Failure("billing/issue_refund", "The billing server is down.")),
                options ?? Chat.For("billing", "billing_get_invoice", "billing_issue_refund")));
    }

    private static ChatMessage[] AfterRefund(object? result) =>
        [.. Recording.Ask("billing", Refund), Chat.Called("call_1", "billing_issue_refund"), Chat.Result("call_1", result)];

    [Fact]
    public async Task UserMessageTheRecordingDoesNotHaveNamesWhatItHas()
    {
        using var folder = new TempFolder();
        var replay = await RecordRefundAsync(folder);

        var error = await Assert.ThrowsAsync<ReplayDivergenceException>(() => replay.AskAsync(Billing, Recording.Ask("billing", "refund INV-9999")));

        Assert.Equal(
            "The replay 'recorded.jsonl' diverged from the recording at agent 'billing', user message \"refund INV-9999\", model call 1: " +
            "the recording has no exchange for this user message. For agent 'billing' it has: \"refund the duplicate charge on INV-1002\". " +
            "A replay answers only what was recorded: make the run match it, record it again against the real model, or convert it to YAML and edit it (docs/mock-model.md).",
            error.Message);
        Assert.Equal(("recorded.jsonl", "billing", "refund INV-9999", 1, (int?)null), (error.ScriptName, error.Agent, error.UserMessage, error.ModelCall, error.RecordedCalls));
        Assert.IsAssignableFrom<MockScriptException>(error);
    }

    [Fact]
    public async Task AgentTheRecordingHasNothingForIsNamed()
    {
        using var folder = new TempFolder();
        var replay = await RecordRefundAsync(folder);

        var error = await Assert.ThrowsAsync<ReplayDivergenceException>(() => replay.AskAsync(Chat.For("support"), Recording.Ask("support", Refund)));

        Assert.Contains("at agent 'support', user message \"refund the duplicate charge on INV-1002\", model call 1: the recording has no exchange for this user message: it has nothing for agent 'support' (it has agents: billing).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongUserMessageIsQuotedShortened()
    {
        using var folder = new TempFolder();
        var replay = await RecordRefundAsync(folder);

        var error = await Assert.ThrowsAsync<ReplayDivergenceException>(() => replay.AskAsync(Billing, Recording.Ask("billing", "please\n" + new string('x', 200))));

        Assert.Contains($"user message \"please {new string('x', 70)}...\", model call 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreModelCallsThanRecordedThrowsNamingTheCall()
    {
        using var folder = new TempFolder();
        var replay = await RecordRefundAsync(folder);

        var error = await Assert.ThrowsAsync<ReplayDivergenceException>(() => replay.AskAsync(Billing,
            [.. AfterRefund(Json.Envelope("billing/issue_refund", new { refund_id = "RF-2001" })), Chat.Assistant("Refunded 49.00; the refund id is RF-2001.")]));

        Assert.Contains("at agent 'billing', user message \"refund the duplicate charge on INV-1002\", model call 3 of 2: the app asked for more model calls than were recorded: " +
            "the recorded model answered this message in 2 (rule 'turn 1 (recording line 1)'), the last replying \"Refunded 49.00; the refund id is RF-2001.\".", error.Message, StringComparison.Ordinal);
        Assert.Equal((3, (int?)2), (error.ModelCall, error.RecordedCalls));
    }

    [Fact]
    public async Task RecordedCallToAToolThisRunDoesNotOfferThrows()
    {
        using var folder = new TempFolder();
        var replay = await RecordRefundAsync(folder);

        var error = await Assert.ThrowsAsync<ReplayDivergenceException>(() => replay.AskAsync(Chat.For("billing", "billing_get_invoice"), Recording.Ask("billing", Refund)));

        Assert.Contains("model call 1 of 2: the recorded model called 'billing_issue_refund', which this run did not offer (offered: billing_get_invoice); the recording offered it.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordedCallToAToolNotOfferedThenEitherIsReplayed()
    {
        using var folder = new TempFolder();
        var replay = await RecordRefundAsync(folder, options: Chat.For("billing", "billing_get_invoice"));

        var call = (await replay.AskAsync(Chat.For("billing", "billing_get_invoice"), Recording.Ask("billing", Refund))).SingleCall();

        Assert.Equal("billing_issue_refund", call.Name);
        Assert.Contains("even_if_not_offered: true", RecordingConverter.ToScriptYaml(folder.File("recorded.jsonl")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallDeniedThisRunButOkInTheRecordingThrowsWithTheReason()
    {
        using var folder = new TempFolder();
        var replay = await RecordRefundAsync(folder);

        var error = await Assert.ThrowsAsync<ReplayDivergenceException>(() => replay.AskAsync(Billing, AfterRefund(Json.Denial("billing/issue_refund", "arguments", Denial))));

        Assert.Contains($"model call 2 of 2: the recording's model saw billing_issue_refund → ok; this run it was denied (arguments): {Denial}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallFailedThisRunButOkInTheRecordingThrowsWithTheError()
    {
        using var folder = new TempFolder();
        var replay = await RecordRefundAsync(folder);

        var error = await Assert.ThrowsAsync<ReplayDivergenceException>(() => replay.AskAsync(Billing, AfterRefund(Json.Failure("billing/issue_refund", "The billing server is down."))));

        Assert.Contains("the recording's model saw billing_issue_refund → ok; this run it failed: The billing server is down.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordedFailureThatFailsAgainTakesTheRecordedNextStep()
    {
        using var folder = new TempFolder();
        var replay = await RecordRefundAsync(folder, outcome: "failed");

        var response = await replay.AskAsync(Billing, AfterRefund(Json.Failure("billing/issue_refund", "A different error this time.")));
        var error = await Assert.ThrowsAsync<ReplayDivergenceException>(() => replay.AskAsync(Billing, AfterRefund(Json.Envelope("billing/issue_refund", new { refund_id = "RF-1" }))));

        Assert.Equal("The billing system refused the refund.", response.Text);
        Assert.Contains("the recording's model saw billing_issue_refund → failed; this run it completed (ok).", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeskReplayedWithTheRefundNowDeniedStopsAtBillingsModelCall()
    {
        using var folder = new TempFolder();
        await new DemoDesk(new MockChatClient(MockScript.LoadDemo()).WithRecording(folder.Path), conversation: "conv-1")
            .AskCoordinatorAsync("I was charged twice on INV-1002, please refund it");
        var replayed = new DemoDesk(new MockChatClient(MockScript.Load(folder.File("conv-1.jsonl")))) { RefundDenial = Denial };

        var error = await Assert.ThrowsAsync<ReplayDivergenceException>(() => replayed.AskCoordinatorAsync("I was charged twice on INV-1002, please refund it"));

        Assert.Equal(("billing", 4, (int?)4), (error.Agent, error.ModelCall, error.RecordedCalls));
        Assert.Contains($"the recording's model saw billing_issue_refund → ok; this run it was denied (arguments): {Denial}", error.Message, StringComparison.Ordinal);
        Assert.Empty(replayed.Refunds);
    }

    [Fact]
    public async Task RequestWithoutAUserMessageThrows()
    {
        using var folder = new TempFolder();
        var replay = await RecordRefundAsync(folder);

        var error = await Assert.ThrowsAsync<ReplayDivergenceException>(() => replay.AskAsync(Billing, Chat.System("You are billing.")));

        Assert.Contains("user message (none), model call 1: the app sent no user message", error.Message, StringComparison.Ordinal);
    }
}
