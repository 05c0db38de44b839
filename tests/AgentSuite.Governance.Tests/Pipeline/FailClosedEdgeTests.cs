using System.Text.Json;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Idempotency;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Pinning;
using AgentSuite.Governance.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentSuite.Governance.Tests.Pipeline;

/// <summary>The corners where a careless pipeline leaks: malformed input, broken stores, races between instances.</summary>
public sealed class FailClosedEdgeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ArgumentsWithDuplicatePropertyAreDeniedAndAudited()
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Echo(), annotations: ToolAnnotations.ReadOnly);
        var ambiguous = JsonDocument.Parse("""{"x":1,"x":2}""").RootElement;

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c1", new Dictionary<string, object?> { ["text"] = ambiguous });

        Assert.Equal((ToolCallStatus.Denied, "arguments"), (outcome.Status, outcome.Stage));
        Assert.Contains("Duplicate property 'x'", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
        var denied = (await h.AuditAsync()).Single(r => r.Entry.ToolCallId == "c1").Entry;
        Assert.True(denied.Data!.Value.TryGetProperty("argumentsError", out _));
    }

    [Fact]
    public async Task InvalidPolicyStillRedactsSecretsInTheAudit()
    {
        using var h = new GovernanceHarness(o =>
        {
            o.Results.RedactSecrets = false;
            o.Constraints.Add(new() { Tool = "billing/*", Rule = "((" });
        });
        var tool = h.Tool(new CountingTool().Echo(), annotations: ToolAnnotations.ReadOnly);

        await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c1", CountingTool.Args(("text", "password=hunter2secret")));

        var data = (await h.AuditAsync()).Single(r => r.Entry.ToolCallId == "c1").Entry.Data!.Value.GetRawText();
        Assert.DoesNotContain("hunter2secret", data, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangedAnnotationsBlockAPinnedTool()
    {
        using var h = new GovernanceHarness();
        var function = new CountingTool().Lookup();
        var args = CountingTool.Args(("invoice_id", "INV-1"));
        await GovernanceHarness.CallAsync(h.Tool(function), GovernanceHarness.Run(), "c1", args);

        var claimsReadOnly = await GovernanceHarness.CallAsync(h.Tool(function, annotations: ToolAnnotations.ReadOnly), GovernanceHarness.Run(), "c2", args);

        Assert.Equal((ToolCallStatus.Denied, "pinning"), (claimsReadOnly.Status, claimsReadOnly.Stage));
    }

    [Fact]
    public async Task PinApprovedByAnotherInstanceIsSeenHere()
    {
        using var h = new GovernanceHarness();
        var args = CountingTool.Args(("invoice_id", "INV-1"));
        await GovernanceHarness.CallAsync(h.Tool(new CountingTool().Lookup(), annotations: ToolAnnotations.ReadOnly), GovernanceHarness.Run(), "c1", args);
        var changed = h.Tool(AIFunctionFactory.Create((string invoice_id) => invoice_id, "get_invoice", "Reads an invoice, and now also emails it."), annotations: ToolAnnotations.ReadOnly);
        Assert.Equal(ToolCallStatus.Denied, (await GovernanceHarness.CallAsync(changed, GovernanceHarness.Run(), "c2", args)).Status);

        var otherInstance = new ToolPinService(h.Services.GetRequiredService<IToolPinStore>(), h.Audit, TimeProvider.System);
        await otherInstance.ApproveAsync("billing/get_invoice", GovernanceHarness.Admin);

        Assert.Equal(ToolCallStatus.Completed, (await GovernanceHarness.CallAsync(changed, GovernanceHarness.Run(), "c3", args)).Status);
    }

    [Fact]
    public async Task KeyReleasedByAnotherHolderIsClaimedAndRun()
    {
        using var h = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = h.Tool(counter.Refund());
        var store = h.Services.GetRequiredService<IIdempotencyStore>();
        const string key = "billing/issue_refund#run:conv-1/run-1/c1";
        await store.TryClaimAsync(new IdempotencyRecord(key, "billing/issue_refund", "other", IdempotencyState.Pending, DateTimeOffset.UtcNow, null, null));

        var call = GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c1", CountingTool.Args(("amount", 10m), ("invoice_id", "INV-1")));
        await Task.Delay(300);
        Assert.False(call.IsCompleted);
        await store.ReleaseAsync(key);

        var outcome = await call.WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Completed, outcome.Status);
        Assert.Equal(1, counter.Calls);
    }

    [Fact]
    public async Task ResultWithheldAfterCompletionIsRecordedAsFailedByTheFilterThatFailed()
    {
        using var h = new GovernanceHarness();
        var filters = h.Services.GetServices<IToolCallFilter>().ToList();
        filters.Insert(filters.FindIndex(f => f.Name == "audit"), new BreaksOnTheWayOut());
        var pipeline = new GovernancePipeline(filters, h.Policies, h.Audit, TimeProvider.System, NullLogger<GovernancePipeline>.Instance);
        var tool = new GovernedTool(new CountingTool().Lookup(), new ToolDescriptor(new ToolIdentity("billing", "get_invoice"), ToolAnnotations.ReadOnly), pipeline);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c1", CountingTool.Args(("invoice_id", "INV-1")));

        Assert.Equal((ToolCallStatus.Failed, "breaks-on-the-way-out"), (outcome.Status, outcome.Stage));
        var kinds = (await h.AuditAsync()).Where(r => r.Entry.ToolCallId == "c1").Select(r => r.Entry.Kind).ToList();
        Assert.Equal(["tool.decision", "tool.completed", "tool.failed"], kinds);
    }

    [Fact]
    public async Task CallWhoseOutcomeIsUnknownIsNeverRunAgain()
    {
        using var h = new GovernanceHarness();
        var runs = 0;
        var timesOut = AIFunctionFactory.Create(
            (string invoice_id) =>
            {
                runs++;
                throw new ToolOutcomeUnknownException("billing/issue_refund did not answer within 30 s; it may have run.");
#pragma warning disable CS0162 // The lambda needs a return type for AIFunctionFactory.
                return "";
#pragma warning restore CS0162
            },
            "issue_refund",
            "Refunds.");
        var tool = h.Tool(timesOut);
        var args = CountingTool.Args(("invoice_id", "INV-1"));

        var first = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c1", args);
        var retry = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c1", args);

        Assert.Equal(ToolCallStatus.Failed, first.Status);
        Assert.Equal((ToolCallStatus.Denied, "idempotency"), (retry.Status, retry.Stage));
        Assert.Contains("may have taken effect", retry.Reason, StringComparison.Ordinal);
        Assert.Equal(1, runs);
    }

    [Fact]
    public async Task ExpiredApprovalCannotBeApproved()
    {
        using var h = new GovernanceHarness();
        var expired = await h.Approvals.RequestAsync(new ApprovalRequest
        {
            Id = "apr_expired",
            ConversationId = "conv-1",
            RunId = "run-1",
            ToolCallId = "c1",
            Agent = "billing",
            Tool = "billing/issue_refund",
            Arguments = """{"amount":150}""",
            ArgumentsHash = new string('b', 64),
            RequestedBy = "alice",
            RequestedAt = DateTimeOffset.UtcNow.AddMinutes(-20),
            ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-10),
            Reason = "test",
        });

        var ex = await Assert.ThrowsAsync<ApprovalException>(() => h.Approvals.DecideAsync(expired.Id, GovernanceHarness.Bob, approve: true, null));

        Assert.Equal(ApprovalErrorKind.AlreadyDecided, ex.Kind);
        Assert.Contains("expired", ex.Message, StringComparison.Ordinal);
        Assert.Equal(ApprovalStatus.TimedOut, (await h.Approvals.GetAsync(expired.Id))!.Status);
    }

    [Fact]
    public async Task EngagedSwitchHoldsEvenWhenTheStoreCannotRecordIt()
    {
        using var h = new GovernanceHarness(overrideServices: s => s.AddSingleton<IKillSwitchStore, UnwritableKillSwitchStore>());
        var counter = new CountingTool();
        var tool = h.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);

        await Assert.ThrowsAsync<IOException>(() => h.KillSwitch.SetAsync("global", engaged: true, GovernanceHarness.Admin));
        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c1", CountingTool.Args(("invoice_id", "INV-1")));

        Assert.Equal((ToolCallStatus.Denied, "kill-switch"), (outcome.Status, outcome.Stage));
        Assert.Equal(0, counter.Calls);
    }

    private sealed class BreaksOnTheWayOut : IToolCallFilter
    {
        public string Name => "breaks-on-the-way-out";

        public async ValueTask<ToolCallOutcome> OnToolCallAsync(ToolCallContext context, ToolCallDelegate next)
        {
            await next(context);
            throw new InvalidOperationException("result store full");
        }
    }

    private sealed class UnwritableKillSwitchStore : IKillSwitchStore
    {
        public Task<IReadOnlyList<string>> LoadEngagedAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<string>>([]);

        public Task SetAsync(string scope, bool engaged, string changedBy, DateTimeOffset at, CancellationToken cancellationToken = default) =>
            throw new IOException("database is locked (simulated)");
    }
}
