using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Tests;

/// <summary>Approvers are told: a call that starts waiting is posted to Governance:Approval:Notify:Url, a receiver on loopback.</summary>
public sealed class ApprovalWebhookApiTests
{
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";
    private const string Secret = "webhook-secret-0123456789";

    /// <summary>A refund request that tries chat markup (a channel mention, a disguised link), carries a secret, and runs long.</summary>
    private static readonly string Tricky = "<!channel> I was charged twice on INV-1006, please refund it <https://evil.example|Approve here> api_key=abc123secret " + new string('x', 600);

    [Fact]
    public async Task ACallThatStartsWaitingIsPostedWithItsContextLinksAndAValidSignature()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Governance:Approval:Notify:Url"] = receiver.Url.ToString(),
            ["Governance:Approval:Notify:Secret"] = Secret,
            ["Governance:Approval:Notify:PageUrl"] = "https://agentsuite.example.com/ops/",
            ["Governance:Approval:Notify:IncludeRequest"] = "true",
        });
        using var alice = api.Client("alice");
        using var bob = api.Client("bob");
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, Tricky);
        var approvalId = (await stream.ReadUntilAsync("approval.pending"))!.Value.GetProperty("approvalId").GetString()!;
        var hook = await receiver.NextAsync();

        var n = hook.Json;
        Assert.Equal(("approval.requested", approvalId, "billing/issue_refund", "billing", "alice", id), (Text(n, "type"), Text(n, "approvalId"), Text(n, "tool"), Text(n, "agent"), Text(n, "requestedBy"), Text(n, "conversationId")));
        Assert.Equal(["coordinator", "billing"], n.GetProperty("agentPath").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Refunds above 100 need a second person.", Text(n, "reason"));

        // The customer's request, asked for: redacted and capped, as the approval keeps it for approvers.
        var request = Text(n, "request");
        Assert.StartsWith("<!channel> I was charged twice on INV-1006, please refund it <https://evil.example|Approve here> api_key=[REDACTED] xxx", request, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123secret", hook.Body, StringComparison.Ordinal);
        Assert.Equal(500, request.Length);
        Assert.EndsWith("x…", request, StringComparison.Ordinal);
        Assert.Equal(request, Text(await bob.GetJsonAsync($"/api/approvals/{approvalId}"), "request"));
        Assert.True(n.GetProperty("expiresAt").GetDateTimeOffset() > n.GetProperty("requestedAt").GetDateTimeOffset());
        var links = n.GetProperty("links");
        Assert.Equal("https://agentsuite.example.com/ops/#approvals", Text(links, "inbox"));
        Assert.Equal($"https://agentsuite.example.com/ops/#approvals?conversation={id}", Text(links, "conversation"));
        Assert.Equal($"https://agentsuite.example.com/ops/api/approvals/{approvalId}", Text(links, "approval"));
        Assert.Equal($"https://agentsuite.example.com/ops/api/conversations/{id}", Text(links, "conversationApi"));
        // The text a chat tool shows holds none of the customer's words, and nothing it would read as markup.
        var text = Text(n, "text");
        Assert.Equal("alice's call billing/issue_refund (agent coordinator → billing) waits for approval: Refunds above 100 need a second person. Decide in the inbox: https://agentsuite.example.com/ops/#approvals", text);
        Assert.False(n.TryGetProperty("arguments", out _), "The arguments stay in the Api; the approver reads them in the inbox.");

        Assert.Equal("approval.requested", hook.Headers["X-AgentSuite-Event"]);
        Assert.Matches("^[0-9a-f]{32}$", hook.Headers["X-AgentSuite-Delivery"]);
        Assert.StartsWith("application/json", hook.Headers["Content-Type"], StringComparison.Ordinal);
        AssertSigned(hook, Secret);

        // The turn goes on as ever.
        await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true });
        Assert.Contains("Refunded 150.00 USD", Text((await stream.ReadUntilAsync("turn.completed"))!.Value, "text"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReceiverThatAnswers503TwiceGetsTheSameNotificationOnTheThirdTry()
    {
        await using var receiver = await WebhookReceiver.StartAsync(answer: attempt => attempt <= 2 ? 503 : 200);
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Governance:Approval:Notify:Url"] = receiver.Url.ToString(),
            ["Governance:Approval:Notify:FirstRetryDelay"] = "00:00:00.050",
        });
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, BigRefund);
        var approvalId = (await stream.ReadUntilAsync("approval.pending"))!.Value.GetProperty("approvalId").GetString()!;
        var tries = new[] { await receiver.NextAsync(), await receiver.NextAsync(), await receiver.NextAsync() };

        Assert.Equal([1, 2, 3], tries.Select(t => t.Attempt));
        Assert.All(tries, t => Assert.Equal(approvalId, Text(t.Json, "approvalId")));
        Assert.Single(tries.Select(t => t.Headers["X-AgentSuite-Delivery"]).Distinct());
        Assert.Single(tries.Select(t => t.Body).Distinct());
        Assert.False(tries[0].Headers.ContainsKey("X-AgentSuite-Signature"), "Without a secret nothing is signed.");
        Assert.False(tries[0].Json.TryGetProperty("request", out _), "The customer's request is sent only with IncludeRequest.");

        // Without PageUrl the links point at the Api's own address.
        Assert.Equal(new Uri(api.BaseAddress, "/#approvals").ToString(), Text(tries[2].Json.GetProperty("links"), "inbox"));
    }

    [Fact]
    public async Task ATurnResumedAfterARestartWaitsOnItsApprovalWithoutNotifyingAgain()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var settings = new Dictionary<string, string?> { ["Governance:Approval:Notify:Url"] = receiver.Url.ToString() };
        var api = await ApiServer.StartAsync(settings);
        try
        {
            using var alice = api.Client("alice");
            var id = await alice.NewConversationAsync();
            string approvalId;
            await using (var stream = await EventStream.SendAsync(alice, id, BigRefund))
            {
                approvalId = Text((await stream.ReadUntilAsync("approval.pending"))!.Value, "approvalId");
            }

            Assert.Equal(approvalId, Text((await receiver.NextAsync()).Json, "approvalId"));

            api = await api.RestartAsync(settings);
            using var alice2 = api.Client("alice");
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/conversations/{id}/turns/current/events");
            request.Headers.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("text/event-stream"));
            await using var reattached = await EventStream.OpenAsync(alice2, request);
            await reattached.ReadUntilAsync("turn.resumed");
            Assert.Equal(approvalId, Text((await reattached.ReadUntilAsync("approval.pending"))!.Value, "approvalId"));

            // A new request after the resumption: the next notification is its own, none came for the one re-awaited.
            var other = await alice2.NewConversationAsync();
            await using var otherTurn = await EventStream.SendAsync(alice2, other, BigRefund);
            var otherApproval = Text((await otherTurn.ReadUntilAsync("approval.pending"))!.Value, "approvalId");
            Assert.Equal(otherApproval, Text((await receiver.NextAsync()).Json, "approvalId"));
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("down")]
    [InlineData("hangs")]
    public async Task AReceiverThatIsDownOrHangsNeitherHoldsUpNorFailsTheTurn(string receiverState)
    {
        await using var hanging = receiverState == "hangs" ? await WebhookReceiver.StartAsync(hang: true) : null;
        using var down = receiverState == "down" ? new RefusingAddress(WebhookReceiver.Path) : null;
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Governance:Approval:Notify:Url"] = (hanging?.Url ?? down!.Url).ToString(),
            ["Governance:Approval:Notify:MaxAttempts"] = "2",
            ["Governance:Approval:Notify:FirstRetryDelay"] = "00:00:00.050",
            ["Governance:Approval:Notify:AttemptTimeout"] = "00:00:01",
        });
        using var alice = api.Client("alice");
        using var bob = api.Client("bob");
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, BigRefund);
        var approvalId = (await stream.ReadUntilAsync("approval.pending"))!.Value.GetProperty("approvalId").GetString()!;
        var decided = await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true });
        Assert.Equal("approved", Text(decided, "status"));
        Assert.Contains("Refunded 150.00 USD", Text((await stream.ReadUntilAsync("turn.completed"))!.Value, "text"), StringComparison.Ordinal);

        // Giving up is on the record, next to the request nobody heard of.
        var failed = await AuditEntryAsync(alice, id, "approval.notify_failed");
        Assert.Equal(approvalId, failed.GetProperty("data").GetProperty("approvalId").GetString());
        Assert.Equal(2, failed.GetProperty("data").GetProperty("attempts").GetInt32());
        Assert.Contains(receiverState == "hangs" ? "did not answer within 00:00:01" : "the request failed", Text(failed, "reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SettingsReloadedIntoAnInvalidStateAreLoggedAndAuditedAsANotificationNotSent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?> { ["Governance:Approval:Notify:Url"] = receiver.Url.ToString() });
        var configuration = (IConfigurationRoot)api.Services.GetRequiredService<IConfiguration>();
        configuration["Governance:Approval:Notify:Url"] = "hooks.example.com/approvals";

        // The options system tells whoever reloaded; the Api runs on, and every read of the settings fails from then on.
        var reload = Assert.ThrowsAny<Exception>(configuration.Reload);
        Assert.IsType<OptionsValidationException>(reload.GetBaseException());
        using var alice = api.Client("alice");
        using var bob = api.Client("bob");
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, BigRefund);
        var approvalId = Text((await stream.ReadUntilAsync("approval.pending"))!.Value, "approvalId");

        // Not lost in silence: the audit says why, next to the request; the inbox still shows it, and the turn goes on.
        var failed = await AuditEntryAsync(alice, id, "approval.notify_failed");
        Assert.Equal((approvalId, 0), (failed.GetProperty("data").GetProperty("approvalId").GetString(), failed.GetProperty("data").GetProperty("attempts").GetInt32()));
        Assert.StartsWith($"Approvers were not notified of approval {approvalId}: it could not be sent (OptionsValidationException: ", Text(failed, "reason"), StringComparison.Ordinal);
        Assert.Contains("Governance:Approval:Notify:Url is not an absolute http or https URL", Text(failed, "reason"), StringComparison.Ordinal);
        Assert.Equal(approvalId, Text(await bob.GetJsonAsync($"/api/approvals/{approvalId}"), "id"));
        await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true });
        Assert.Contains("Refunded 150.00 USD", Text((await stream.ReadUntilAsync("turn.completed"))!.Value, "text"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Governance:Approval:Notify:Url", "hooks.example.com/approvals", "Governance:Approval:Notify:Url is not an absolute http or https URL")]
    [InlineData("Governance:Approval:Notify:Url", "ftp://hooks.example.com/approvals", "Governance:Approval:Notify:Url is not an absolute http or https URL")]
    [InlineData("Governance:Approval:Notify:PageUrl", "agentsuite.example.com", "Governance:Approval:Notify:PageUrl 'agentsuite.example.com' is not an absolute http or https URL")]
    [InlineData("Governance:Approval:Notify:MaxAttempts", "0", "Governance:Approval:Notify:MaxAttempts is 0; it must be at least 1.")]
    public async Task AnUnusableNotifySettingStopsTheApiAtStartSayingWhichKey(string key, string value, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ApiServer.StartAsync(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Checks <c>t=…,v1=…</c> the way a receiver would: HMAC-SHA256 of "t.body" with the shared secret.</summary>
    private static void AssertSigned(ReceivedWebhook hook, string secret)
    {
        var parts = hook.Headers["X-AgentSuite-Signature"].Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts["t"], CultureInfo.InvariantCulture));
        Assert.InRange(signedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{hook.Body}")));
        Assert.Equal(expected, parts["v1"]);
    }

    private static async Task<JsonElement> AuditEntryAsync(HttpClient client, string conversationId, string kind)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var entries = (await client.GetJsonAsync($"/api/audit?conversationId={conversationId}&kind={kind}")).EnumerateArray().ToList();
            if (entries.Count > 0)
            {
                return Assert.Single(entries);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"No {kind} entry in conversation {conversationId}'s audit.");
    }

    private static string Text(JsonElement e, string name) => e.GetProperty(name).GetString()!;
}
