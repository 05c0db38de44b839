using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentSuite.Api.Tests.Support;
using Microsoft.Data.Sqlite;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Api.Tests;

/// <summary>
/// The coordinator reaching billing as a remote MCP specialist: two Apis on their own loopback ports, each with its own
/// data folder and plugin servers. The refund-with-approval flow is the in-process one; the approval lives where the
/// billing turn runs, under the customer, with the coordinator recorded beside them; the audits and the trace join.
/// </summary>
public sealed class RemoteSpecialistApiTests
{
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";

    [Fact]
    public async Task RefundNeedingApprovalRunsAtTheRemoteUnderTheCustomerIsPaidOnceAndBothAuditsNameEachOther()
    {
        await using var billing = await ApiServer.StartAsync(RemoteBilling.BillingSettings());
        await using var coordinator = await ApiServer.StartAsync(RemoteBilling.CoordinatorSettings(billing));
        using var bob = coordinator.ClientWithKey(DeskKeys.Bob);
        var id = await bob.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(bob, id, BigRefund);
        var approvalId = Text((await stream.ReadUntilAsync("approval.pending", TimeSpan.FromMinutes(2)))!.Value, "approvalId");

        // The coordinator's turn waits on the remote approval, which is billing's to decide.
        var turn = await StatusPolling.UntilAsync(
            "the coordinator's turn",
            async () => (await bob.GetJsonAsync($"/api/conversations/{id}")).GetProperty("turn"),
            t => t.TryGetProperty("approvalId", out _));
        Assert.Equal(("waiting", approvalId), (Text(turn, "status"), Text(turn, "approvalId")));
        using var billingBob = billing.ClientWithKey(DeskKeys.Bob);
        using var billingCarol = billing.ClientWithKey(RemoteBilling.CarolKey);
        var waiting = Assert.Single((await billingCarol.GetJsonAsync("/api/approvals?status=pending")).EnumerateArray());
        Assert.Equal((approvalId, "billing/issue_refund", "bob"), (Text(waiting, "id"), Text(waiting, "tool"), Text(waiting, "requestedBy")));

        // Separation of duties is judged on the customer (bob, an approver himself), not on the coordinator's key.
        using (var self = await billingBob.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "mine" }))
        {
            await self.ProblemAsync(HttpStatusCode.Forbidden, "'bob' asked for this call and cannot also approve it");
        }

        await billingCarol.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "duplicate confirmed" });
        var completed = (await stream.ReadUntilAsync("turn.completed", TimeSpan.FromMinutes(2)))!.Value;

        Assert.Matches(@"^Refunded 150\.00 USD for the duplicate charge CH-8 on INV-1006; the refund id is RF-\d+\.$", Text(completed, "text"));
        Assert.Equal(1, RefundsPaid(billing.DataFolder, "INV-1006"));
        Assert.Equal(0, RefundsPaidIfAny(coordinator.DataFolder, "INV-1006"));

        // The coordinator's audit names the remote; the remote's names the coordinator; one trace runs through both.
        using var coordinatorOps = coordinator.ClientWithKey(DeskKeys.Ops);
        using var billingOps = billing.ClientWithKey(DeskKeys.Ops);
        var handOff = Assert.Single(
            (await coordinatorOps.GetJsonAsync($"/api/audit?conversationId={id}&kind=tool.completed")).EnumerateArray(),
            e => Text(e, "tool") == "agents/ask_billing");
        var handOffData = handOff.GetProperty("data");
        Assert.Equal(new Uri(billing.BaseAddress, "/mcp").ToString(), Text(handOffData, "remoteUrl"));
        Assert.Equal(approvalId, Text(handOffData, "remoteApprovalId"));
        var remoteConversation = Text(handOffData, "remoteConversationId");

        // One entry for the hand-off, however many times the coordinator asked again while the approval waited.
        var delegated = Assert.Single((await billingOps.GetJsonAsync("/api/audit?kind=agent_call.delegated")).EnumerateArray());
        var delegatedData = delegated.GetProperty("data");
        Assert.Equal(("bob", "coordinator"), (Text(delegated, "principal"), Text(delegatedData, "via")));
        Assert.Equal((id, Text(handOff, "runId"), Text(handOff, "toolCallId")), (Text(delegatedData, "callerConversationId"), Text(delegatedData, "callerRunId"), Text(delegatedData, "callerToolCallId")));

        var refund = Assert.Single((await billingOps.GetJsonAsync($"/api/audit?conversationId={remoteConversation}&kind=tool.completed")).EnumerateArray(), e => Text(e, "tool") == "billing/issue_refund");
        Assert.Equal(("bob", "coordinator"), (Text(refund, "principal"), Text(refund.GetProperty("data"), "via")));
        var trace = Text(handOffData, "traceId");
        Assert.Matches("^[0-9a-f]{32}$", trace);
        Assert.Equal(trace, Text(delegatedData, "traceId"));
        Assert.Equal(trace, Text(refund.GetProperty("data"), "traceId"));

        // The remote conversation is the customer's, started by the coordinator for them.
        var remote = await billingBob.GetJsonAsync($"/api/conversations/{remoteConversation}");
        Assert.Equal(("bob", "completed"), (Text(remote, "createdBy"), Text(remote.GetProperty("turn"), "status")));
    }

    [Fact]
    public async Task TheCoordinatorRestartedWhileTheRemoteWaitsAsksAgainWithTheSameKeyAndTheRefundIsPaidOnce()
    {
        await using var billing = await ApiServer.StartAsync(RemoteBilling.BillingSettings());
        var settings = RemoteBilling.CoordinatorSettings(billing);
        var coordinator = await ApiServer.StartAsync(settings);
        try
        {
            using var alice = coordinator.ClientWithKey(DeskKeys.Alice);
            var id = await alice.NewConversationAsync();
            string approvalId;
            await using (var stream = await EventStream.SendAsync(alice, id, BigRefund))
            {
                approvalId = Text((await stream.ReadUntilAsync("approval.pending", TimeSpan.FromMinutes(2)))!.Value, "approvalId");
            }

            coordinator = await coordinator.RestartAsync(settings);
            using var alice2 = coordinator.ClientWithKey(DeskKeys.Alice);
            using var billingBob = billing.ClientWithKey(DeskKeys.Bob);
            await billingBob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "duplicate confirmed" });
            var turn = await StatusPolling.UntilAsync(
                "the resumed coordinator turn",
                async () => (await alice2.GetJsonAsync($"/api/conversations/{id}")).GetProperty("turn"),
                t => Text(t, "status") is not ("running" or "waiting"));

            Assert.Equal("completed", Text(turn, "status"));
            Assert.Equal(1, RefundsPaid(billing.DataFolder, "INV-1006"));

            // One remote turn: the resumed hand-off followed the first one's conversation, it did not start another.
            using var billingAlice = billing.ClientWithKey(DeskKeys.Alice);
            Assert.Single((await billingAlice.GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray());
        }
        finally
        {
            await coordinator.DisposeAsync();
        }
    }

    [Fact]
    public async Task AKeyWithoutTheDelegateRoleCannotActForSomeoneElseAndTheRefusalIsAudited()
    {
        await using var billing = await ApiServer.StartAsync(RemoteBilling.BillingSettings());
        await using var frontDesk = await AgentServerClient.ConnectAsync(billing, RemoteBilling.FrontDeskKey);
        var meta = new JsonObject { ["agentsuite/on_behalf_of"] = new JsonObject { ["name"] = "alice" } };

        var refusal = await frontDesk.CallToolAsync("ask_billing", new Dictionary<string, object?> { ["message"] = BigRefund }, options: new RequestOptions { Meta = meta });

        Assert.True(refusal.IsError);
        Assert.Contains("'frontdesk' may not act for someone else: its key lacks the 'delegate' role", string.Concat(refusal.Content.OfType<TextContentBlock>().Select(t => t.Text)), StringComparison.Ordinal);
        using var ops = billing.ClientWithKey(DeskKeys.Ops);
        var refused = Assert.Single((await ops.GetJsonAsync("/api/audit?kind=agent_call.delegated")).EnumerateArray());
        Assert.Equal(("denied", "frontdesk"), (Text(refused, "decision"), Text(refused, "principal")));
        Assert.Empty((await billing.ClientWithKey(DeskKeys.Alice).GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ARemoteApprovalOutlastingTheWaitKeepsTheCoordinatorWaitingUntilItIsDecided()
    {
        // The remote allows no wait at all and the coordinator's wait is 6 s: the approval outlasts both. (The wait also
        // bounds the remote turn's run after the decision, so it is not shorter than a refund takes on a busy machine.)
        var billingSettings = RemoteBilling.BillingSettings();
        billingSettings["AgentServer:MaxWaitSeconds"] = "0";
        billingSettings["AgentServer:DefaultWaitSeconds"] = "0";
        await using var billing = await ApiServer.StartAsync(billingSettings);
        var settings = RemoteBilling.CoordinatorSettings(billing);
        settings["Agents:Remote:billing:WaitSeconds"] = "6";
        await using var coordinator = await ApiServer.StartAsync(settings);
        using var alice = coordinator.ClientWithKey(DeskKeys.Alice);
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, BigRefund);
        var approvalId = Text((await stream.ReadUntilAsync("approval.pending", TimeSpan.FromMinutes(2)))!.Value, "approvalId");
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Equal(("waiting", approvalId), await TurnAsync(alice, id));

        using var billingBob = billing.ClientWithKey(DeskKeys.Bob);
        await billingBob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "duplicate confirmed" });
        var completed = (await stream.ReadUntilAsync("turn.completed", TimeSpan.FromMinutes(2)))!.Value;

        Assert.StartsWith("Refunded 150.00 USD", Text(completed, "text"), StringComparison.Ordinal);
        Assert.Contains(stream.Received, e => Text(e, "type") == "approval.resolved" && Text(e, "approvalId") == approvalId);
        Assert.Equal(1, RefundsPaid(billing.DataFolder, "INV-1006"));
    }

    [Fact]
    public async Task ATokenHoldersHandOffIsRecordedAtTheRemoteUnderTheirNameOnce()
    {
        await using var issuer = await TokenIssuer.ServeAsync();
        await using var billing = await ApiServer.StartAsync(RemoteBilling.BillingSettings());
        await using var coordinator = await ApiServer.StartAsync(issuer.Settings(RemoteBilling.CoordinatorSettings(billing)));
        using var bob = TokenIssuer.Client(coordinator.BaseAddress, issuer.Token("sub-bob", "Bob", ["user"]));
        var id = await bob.NewConversationAsync();

        var turn = await bob.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });

        Assert.Contains("INV-1002", Text(turn, "reply"), StringComparison.Ordinal);
        using var billingOps = billing.ClientWithKey(DeskKeys.Ops);
        var delegated = Assert.Single((await billingOps.GetJsonAsync("/api/audit?kind=agent_call.delegated")).EnumerateArray());
        Assert.Equal(("allowed", "Bob (sub-bob)"), (Text(delegated, "decision"), Text(delegated, "principal")));
    }

    [Fact]
    public async Task ARemoteSpecialistWithNoAnswerFailsTheCoordinatorsTurnWithTheSameSentenceAndNoAddress()
    {
        await using var billing = await ApiServer.StartAsync(RemoteBilling.BillingSettings());
        await using var coordinator = await ApiServer.StartAsync(RemoteBilling.CoordinatorSettings(billing));
        using var alice = coordinator.ClientWithKey(DeskKeys.Alice);
        var id = await alice.NewConversationAsync();

        // Billing's script misses on an invoice with one charge; the coordinator's turn fails as a local miss does.
        await using (var stream = await EventStream.SendAsync(alice, id, "I was charged twice on INV-1003"))
        {
            var failed = (await stream.ReadUntilAsync("turn.failed", TimeSpan.FromMinutes(2)))!.Value;
            Assert.Equal(AgentSuite.Models.MockScriptMissException.CustomerReply, Text(failed, "text"));
            var reason = Text(failed, "reason");
            Assert.StartsWith("The remote agent 'billing' had no answer (its conversation conv_", reason, StringComparison.Ordinal);
            Assert.Contains("The mock script 'demo.yaml' has no answer for agent 'billing'", reason, StringComparison.Ordinal);
            Assert.DoesNotContain(billing.BaseAddress.Authority, reason, StringComparison.Ordinal);
            Assert.DoesNotContain(stream.Received, e => e.GetProperty("type").GetString() is "turn.completed" or "message.delta");
        }

        var stored = await alice.GetJsonAsync($"/api/conversations/{id}");
        Assert.Equal("failed", Text(stored.GetProperty("turn"), "status"));
        var answer = stored.GetProperty("messages").EnumerateArray().Last();
        Assert.Equal(("assistant", AgentSuite.Models.MockScriptMissException.CustomerReply), (Text(answer, "role"), Text(answer, "text")));
        Assert.DoesNotContain(billing.BaseAddress.Authority, stored.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongKeyFailsTheHandOffAtOnceNamingTheKeySetting()
    {
        await using var billing = await ApiServer.StartAsync(RemoteBilling.BillingSettings());
        var settings = RemoteBilling.CoordinatorSettings(billing);
        settings["Agents:Remote:billing:ApiKey"] = "not-the-coordinator-key-0123";
        await using var coordinator = await ApiServer.StartAsync(settings);
        using var alice = coordinator.ClientWithKey(DeskKeys.Alice);
        var id = await alice.NewConversationAsync();

        var turn = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = BigRefund });

        Assert.Contains("Agents:Remote:billing:ApiKey", Text(turn, "reply"), StringComparison.Ordinal);
        Assert.DoesNotContain("unknown", Text(turn, "reply"), StringComparison.OrdinalIgnoreCase);
        using var billingAlice = billing.ClientWithKey(DeskKeys.Alice);
        Assert.Empty((await billingAlice.GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task AnUnreachableRemoteFailsOnlyTheHandOffNamingTheUrlAndTheSetting()
    {
        using var down = new RefusingAddress("/mcp");
        var settings = DeskKeys.Settings();
        settings["Agents:Remote:billing:Url"] = down.Url.ToString();
        settings["Agents:Remote:billing:ApiKey"] = RemoteBilling.CoordinatorKey;
        await using var coordinator = await ApiServer.StartAsync(settings);
        using var alice = coordinator.ClientWithKey(DeskKeys.Alice);
        var id = await alice.NewConversationAsync();

        // A message that needs no billing is answered as ever; the one that does is told why billing is out of reach.
        var hello = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "hello" }, HttpStatusCode.BadGateway);
        var refund = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = BigRefund });

        Assert.Equal(AgentSuite.Models.MockScriptMissException.CustomerReply, Text(hello, "reply"));
        Assert.Contains($"The remote agent 'billing' at {down.Url} (Agents:Remote:billing:Url) could not be reached", Text(refund, "reply"), StringComparison.Ordinal);

        // The stand-in description is not pinned, so the remote's own definition is what trust-on-first-use pins later.
        using var admin = coordinator.ClientWithKey(DeskKeys.Ops);
        var pins = await admin.GetJsonAsync("/api/governance/tools");
        Assert.DoesNotContain(pins.EnumerateArray(), p => p.GetProperty("tool").GetString() == "agents/ask_billing");
    }

    [Fact]
    public async Task PlainHttpToAnotherHostStopsTheStartNamingTheSetting()
    {
        var settings = DeskKeys.Settings();
        settings["Agents:Remote:billing:Url"] = "http://billing.example/mcp";
        settings["Agents:Remote:billing:ApiKey"] = RemoteBilling.CoordinatorKey;

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await ApiServer.StartAsync(settings));

        Assert.Contains("Agents:Remote:billing:Url 'http://billing.example/mcp' is plain HTTP to 'billing.example'", error.Message, StringComparison.Ordinal);
    }

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;

    private static async Task<(string Status, string? ApprovalId)> TurnAsync(HttpClient client, string conversationId)
    {
        var turn = (await client.GetJsonAsync($"/api/conversations/{conversationId}")).GetProperty("turn");
        return (Text(turn, "status"), turn.TryGetProperty("approvalId", out var approval) ? approval.GetString() : null);
    }

    /// <summary>Refunds paid where billing runs: its database must exist there.</summary>
    private static long RefundsPaid(string dataFolder, string invoice)
    {
        var file = Path.Combine(dataFolder, "billing.db");
        Assert.True(File.Exists(file), $"{file} does not exist: billing never ran here.");
        return Count(file, invoice);
    }

    /// <summary>Refunds paid where billing need not run (the coordinator): none when it has no billing database.</summary>
    private static long RefundsPaidIfAny(string dataFolder, string invoice)
    {
        var file = Path.Combine(dataFolder, "billing.db");
        return File.Exists(file) ? Count(file, invoice) : 0;
    }

    private static long Count(string file, string invoice)
    {
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM refunds WHERE invoice_id = $invoice";
        command.Parameters.AddWithValue("$invoice", invoice);
        return (long)command.ExecuteScalar()!;
    }
}
