using System.Text.Json;
using AgentSuite.Durability.Tests.Support;

namespace AgentSuite.Durability.Tests;

/// <summary>
/// The Api SIGKILLed while one of its model calls is in flight: the model is the mock model server over the OpenAI
/// protocol (Model:Provider=OpenAI), behind a proxy the test controls that holds the billing agent's call after its
/// first tool result. After the restart nothing is sent: the Api asks the model again from its checkpoint.
/// </summary>
public sealed class ModelCallInFlightTests
{
    private const string Refund = "I was charged twice on INV-1002, please refund it";

    [Fact]
    public async Task KilledMidModelCallTheTurnCompletesByItselfAfterTheRestart()
    {
        using var model = await MockModelServer.StartAsync();
        await using var proxy = await HeldModelProxy.StartAsync(model.BaseAddress, IsBillingAfterItsFirstToolResult);
        using var api = await DurableApi.StartAsync(new Dictionary<string, string?>
        {
            ["Model:Provider"] = "OpenAI",
            ["Model:Endpoint"] = proxy.Endpoint.ToString(),
            ["Model:Name"] = "agentsuite-mock",
        });
        using var alice = api.Client("alice");
        var conversation = await alice.NewConversationAsync();
        var turn = alice.SendInBackground(conversation, Refund);
        var inFlight = await proxy.Held.WaitAsync(Waits.Step);
        var forwardedBeforeTheCrash = proxy.Forwarded;

        // The invoice's result is a step of the turn; its checkpoint holds it within moments (read-only results are
        // written in the background), and the crash comes after that, while the model call about it is still held.
        await Waits.UntilAsync(
            "the turn's checkpoint to hold billing's first tool result",
            () => Task.FromResult(TurnCheckpoints.RecordedResults(api.DataFolder, conversation, "billing") > 0 ? "recorded" : null),
            () => alice.DescribeAsync(api, conversation));

        await api.CrashAndRestartAsync();
        await turn;
        var ended = await alice.WaitForTurnToEndAsync(api, conversation);

        var describe = await alice.DescribeAsync(api, conversation);
        Assert.True(ended.GetProperty("turn").Text("status") == "completed", describe);
        Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.$", LastReply(ended));
        Assert.True(proxy.Forwarded > forwardedBeforeTheCrash, $"The model was not asked again after the restart.\n{describe}");
        Assert.Equal((1, 4900), BillingFile.Refunds(api.BillingFile, "INV-1002"));
        var audit = await alice.AuditAsync(conversation);
        Assert.Contains(audit, e => e.Text("kind") == "turn.resumed");
        // Resumed from the checkpoint after the invoice was read, not restarted from the user's message.
        Assert.Single(audit, e => e.Text("kind") == "tool.completed" && e.Text("tool") == "billing/get_invoice");
        Assert.Single(audit, e => e.Text("kind") == "tool.completed" && e.Text("tool") == "billing/issue_refund");
        var verification = await alice.GetJsonAsync("/api/audit/verify");
        Assert.True(verification.GetProperty("ok").GetBoolean(), verification.GetRawText());
        Assert.Equal("billing", SystemName(inFlight));
    }

    /// <summary>The billing agent's model call once it has its invoice: the turn is inside the specialist, one tool outcome in.</summary>
    private static bool IsBillingAfterItsFirstToolResult(JsonElement request) =>
        SystemName(request) == "billing" && request.GetProperty("messages").EnumerateArray().Any(m => m.Text("role") == "tool");

    private static string SystemName(JsonElement request) =>
        request.GetProperty("messages").EnumerateArray().FirstOrDefault(m => m.Text("role") == "system").Text("name");

    private static string LastReply(JsonElement conversation) =>
        conversation.GetProperty("messages").EnumerateArray().Last(m => m.Text("role") == "assistant").Text("text");
}
