using System.Text.Json;
using System.Text.Json.Nodes;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Filters;
using AgentSuite.Governance.Idempotency;
using AgentSuite.Governance.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Governance.Tests.Filters;

public sealed class IdempotencyFilterTests
{
    /// <summary>Generous: the machine is slow and noisy. Nothing asserts on how long anything took.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RepeatedCallReturnsStoredResultWithoutRunning()
    {
        using var harness = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund());
        var run = GovernanceHarness.Run();

        var first = await GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(40)).WaitAsync(Patience);
        var second = await GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(40)).WaitAsync(Patience);

        Assert.Equal(ToolCallStatus.Completed, first.Status);
        Assert.Equal(ToolCallStatus.Replayed, second.Status);
        Assert.Equal("idempotency", second.Stage);
        Assert.True(SameJson(first.Result, second.Result), $"{Json(first.Result)} != {Json(second.Result)}");
        Assert.Contains("rf_1", Json(second.Result), StringComparison.Ordinal);
        Assert.Equal(1, counter.Calls);

        var store = harness.Services.GetRequiredService<IIdempotencyStore>();
        var record = await store.GetAsync("billing/issue_refund#run:conv-1/run-1/c1");
        Assert.NotNull(record);
        Assert.Equal(IdempotencyState.Completed, record.State);

        var audit = await harness.AuditAsync();
        var replayed = Assert.Single(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolReplayed);
        Assert.Equal("c1", replayed.Entry.ToolCallId);
        Assert.Equal("replayed", replayed.Entry.Decision);
        Assert.Single(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolCompleted);
        Assert.Single(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolDecision && r.Entry.Decision == "allowed");
    }

    [Fact]
    public async Task ConcurrentDuplicatesRunOnce()
    {
        using var harness = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund(TimeSpan.FromMilliseconds(200)));
        var run = GovernanceHarness.Run();

        var calls = Enumerable.Range(0, 16)
            .Select(_ => Task.Run(() => GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(75))))
            .ToArray();
        var outcomes = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, counter.Calls);
        Assert.All(outcomes, o => Assert.True(o.Status is ToolCallStatus.Completed or ToolCallStatus.Replayed, o.ToString()));
        Assert.Single(outcomes, o => o.Status == ToolCallStatus.Completed);
        var expected = Json(outcomes.Single(o => o.Status == ToolCallStatus.Completed).Result);
        Assert.All(outcomes, o => Assert.True(SameJson(outcomes[0].Result, o.Result), $"{expected} != {Json(o.Result)}"));
        Assert.Contains("rf_1", expected, StringComparison.Ordinal);

        var audit = await harness.AuditAsync();
        Assert.Single(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolCompleted);
        Assert.Equal(15, audit.Count(r => r.Entry.Kind == GovernanceEventTypes.ToolReplayed));
    }

    [Fact]
    public async Task DifferentToolCallIdsRunSeparately()
    {
        using var harness = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund());
        var run = GovernanceHarness.Run();

        var first = await GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(40)).WaitAsync(Patience);
        var second = await GovernanceHarness.CallAsync(tool, run, "c2", RefundArgs(40)).WaitAsync(Patience);

        Assert.Equal(ToolCallStatus.Completed, first.Status);
        Assert.Equal(ToolCallStatus.Completed, second.Status);
        Assert.Equal(2, counter.Calls);
        Assert.False(SameJson(first.Result, second.Result));

        // The same tool-call id in another run is another call too.
        var otherRun = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(run: "run-2"), "c1", RefundArgs(40)).WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Completed, otherRun.Status);
        Assert.Equal(3, counter.Calls);
        Assert.DoesNotContain(await harness.AuditAsync(), r => r.Entry.Kind == GovernanceEventTypes.ToolReplayed);
    }

    [Fact]
    public async Task ToolSuppliedKeyDeduplicatesAcrossRuns()
    {
        using var harness = new GovernanceHarness();
        var runs = 0;
        var tool = harness.Tool(KeyedRefund(() => Interlocked.Increment(ref runs)));

        var first = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(run: "run-1"), "c1", KeyedArgs(40, "refund-inv-1-once")).WaitAsync(Patience);
        var second = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(conversation: "conv-2", run: "run-2"), "c2", KeyedArgs(40, "refund-inv-1-once")).WaitAsync(Patience);

        Assert.Equal(ToolCallStatus.Completed, first.Status);
        Assert.Equal(ToolCallStatus.Replayed, second.Status);
        Assert.True(SameJson(first.Result, second.Result));
        Assert.Equal(1, Volatile.Read(ref runs));

        var record = await harness.Services.GetRequiredService<IIdempotencyStore>().GetAsync("billing/issue_refund#key:refund-inv-1-once");
        Assert.Equal(IdempotencyState.Completed, record!.State);

        var completed = Assert.Single(await harness.AuditAsync(), r => r.Entry.Kind == GovernanceEventTypes.ToolCompleted);
        Assert.Equal("billing/issue_refund#key:refund-inv-1-once", DataString(completed, "idempotencyKey"));

        // Another key is another operation.
        var third = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(run: "run-3"), "c3", KeyedArgs(40, "refund-inv-1-twice")).WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Completed, third.Status);
        Assert.Equal(2, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task SameKeyWithDifferentArgumentsIsRefused()
    {
        using var harness = new GovernanceHarness();
        var runs = 0;
        var tool = harness.Tool(KeyedRefund(() => Interlocked.Increment(ref runs)));

        var first = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(run: "run-1"), "c1", KeyedArgs(40, "k-1")).WaitAsync(Patience);
        var second = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(run: "run-2"), "c2", KeyedArgs(45, "k-1")).WaitAsync(Patience);

        Assert.Equal(ToolCallStatus.Completed, first.Status);
        Assert.Equal(ToolCallStatus.Denied, second.Status);
        Assert.Equal("idempotency", second.Stage);
        Assert.Contains("different arguments", second.Reason, StringComparison.Ordinal);
        Assert.Null(second.Result);
        Assert.Equal(1, Volatile.Read(ref runs));

        var denial = Assert.Single(await harness.AuditAsync(), r => r.Entry.Kind == GovernanceEventTypes.ToolDecision && r.Entry.Decision == "denied");
        Assert.Equal("c2", denial.Entry.ToolCallId);
        Assert.Equal("idempotency", DataString(denial, "stage"));
    }

    [Fact]
    public async Task ReadOnlyToolsAreNotDeduplicated()
    {
        using var harness = new GovernanceHarness();
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        var run = GovernanceHarness.Run();

        var first = await GovernanceHarness.CallAsync(tool, run, "c1", CountingTool.Args(("invoice_id", "inv-1"))).WaitAsync(Patience);
        var second = await GovernanceHarness.CallAsync(tool, run, "c1", CountingTool.Args(("invoice_id", "inv-1"))).WaitAsync(Patience);

        Assert.Equal(ToolCallStatus.Completed, first.Status);
        Assert.Equal(ToolCallStatus.Completed, second.Status);
        Assert.Equal(2, counter.Calls);
        Assert.Null(await harness.Services.GetRequiredService<IIdempotencyStore>().GetAsync("billing/get_invoice#run:conv-1/run-1/c1"));
        Assert.DoesNotContain(await harness.AuditAsync(), r => r.Entry.Kind == GovernanceEventTypes.ToolReplayed);
    }

    [Fact]
    public async Task FailedCallMayBeRetried()
    {
        using var harness = new GovernanceHarness();
        var attempts = 0;
        var tool = harness.Tool(AIFunctionFactory.Create(
            (decimal amount, string invoice_id) =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    throw new InvalidOperationException("The payment gateway refused the connection.");
                }

                return new { refunded = amount, invoice = invoice_id, attempt = Volatile.Read(ref attempts) };
            },
            "issue_refund",
            "Refunds part or all of a charge on an invoice."));
        var run = GovernanceHarness.Run();

        var first = await GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(40)).WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Failed, first.Status);
        Assert.IsType<InvalidOperationException>(first.Error);
        Assert.Null(await harness.Services.GetRequiredService<IIdempotencyStore>().GetAsync("billing/issue_refund#run:conv-1/run-1/c1"));

        var retry = await GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(40)).WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Completed, retry.Status);
        Assert.Equal(2, Volatile.Read(ref attempts));

        // Once it completed, it is remembered.
        var again = await GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(40)).WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Replayed, again.Status);
        Assert.True(SameJson(retry.Result, again.Result));
        Assert.Equal(2, Volatile.Read(ref attempts));

        var audit = await harness.AuditAsync();
        Assert.Single(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolFailed && r.Entry.Decision == "failed");
        Assert.Single(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolCompleted);
    }

    [Fact]
    public async Task UnknownOutcomeIsNotRetried()
    {
        using var harness = new GovernanceHarness(o => o.Idempotency.PendingLease = TimeSpan.FromSeconds(1));
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund());
        var store = harness.Services.GetRequiredService<IIdempotencyStore>();
        const string key = "billing/issue_refund#run:conv-1/run-1/c1";

        // A process claimed the call an hour ago and died before recording its outcome.
        var claimed = await store.TryClaimAsync(new IdempotencyRecord(key, "billing/issue_refund", "sha-of-the-crashed-call", IdempotencyState.Pending, DateTimeOffset.UtcNow.AddHours(-1), null, null));
        Assert.Null(claimed);

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c1", RefundArgs(40)).WaitAsync(Patience);

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("idempotency", outcome.Stage);
        Assert.Contains("outcome was never recorded", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains(key, outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);

        // Still refused on the next retry; the claim is not dropped by the refusal.
        var retry = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c1", RefundArgs(40)).WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Denied, retry.Status);
        Assert.Equal(0, counter.Calls);
        Assert.NotNull(await store.GetAsync(key));

        // A call explicitly marked unknown is refused the same way.
        const string other = "billing/issue_refund#run:conv-1/run-1/c2";
        Assert.Null(await store.TryClaimAsync(new IdempotencyRecord(other, "billing/issue_refund", "sha", IdempotencyState.Pending, DateTimeOffset.UtcNow, null, null)));
        await store.MarkUnknownAsync(other, "the process stopped mid-call");
        var marked = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(), "c2", RefundArgs(40)).WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Denied, marked.Status);
        Assert.Contains("the process stopped mid-call", marked.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
    }

    /// <summary>
    /// Two concurrent calls share a tool-supplied key: X has the arguments the key was first used with, Y other ones.
    /// X (first in flight) gets the stored result as a replay; Y, waiting on X, must still be refused for its different
    /// arguments — not handed X's replay as if its own, different refund had been done.
    /// </summary>
    [Fact]
    public async Task ConcurrentDuplicateWithOtherArgumentsIsRefusedWhenTheFirstIsAReplay()
    {
        using var harness = new GovernanceHarness();
        var runs = 0;
        var tool = harness.Tool(KeyedRefund(() => Interlocked.Increment(ref runs)));

        // The key is used once, with amount 40, and completes.
        var original = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(run: "run-1"), "c1", KeyedArgs(40, "k-1")).WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Completed, original.Status);

        // A fresh filter over the same store, whose first claim is held so that a second call arrives while it is in flight.
        var gated = new GatedStore(harness.Services.GetRequiredService<IIdempotencyStore>());
        var filter = new IdempotencyFilter(gated, TimeProvider.System);
        var policy = harness.Policies.Current;
        var nextRuns = 0;
        ToolCallDelegate next = _ =>
        {
            Interlocked.Increment(ref nextRuns);
            return ValueTask.FromResult(ToolCallOutcome.Completed("ran again"));
        };
        var x = new ToolCallContext(GovernanceHarness.Run(run: "run-x"), "cx", tool, new AIFunctionArguments(KeyedArgs(40, "k-1")), policy, CancellationToken.None);
        var y = new ToolCallContext(GovernanceHarness.Run(run: "run-y"), "cy", tool, new AIFunctionArguments(KeyedArgs(900, "k-1")), policy, CancellationToken.None);

        var xCall = Task.Run(() => filter.OnToolCallAsync(x, next).AsTask());
        await gated.FirstClaimEntered.WaitAsync(Patience);
        var yCall = filter.OnToolCallAsync(y, next).AsTask();
        Assert.False(yCall.IsCompleted);
        gated.Release();

        var xOutcome = await xCall.WaitAsync(Patience);
        var yOutcome = await yCall.WaitAsync(Patience);

        Assert.Equal(0, Volatile.Read(ref nextRuns));
        Assert.Equal(ToolCallStatus.Replayed, xOutcome.Status);
        Assert.True(yOutcome.Status == ToolCallStatus.Denied, $"Y (amount 900) reused key 'k-1' of the amount-40 refund and got: {yOutcome} {Json(yOutcome.Result)}");
        Assert.Equal("idempotency", yOutcome.Stage);
        Assert.Equal(1, Volatile.Read(ref runs));
    }

    private static Dictionary<string, object?> RefundArgs(decimal amount, string invoice = "inv-1") =>
        CountingTool.Args(("amount", amount), ("invoice_id", invoice));

    private static Dictionary<string, object?> KeyedArgs(decimal amount, string key, string invoice = "inv-1") =>
        CountingTool.Args(("amount", amount), ("invoice_id", invoice), ("idempotency_key", key));

    private static AIFunction KeyedRefund(Func<int> onRun) => AIFunctionFactory.Create(
        (decimal amount, string invoice_id, string idempotency_key) =>
        {
            var n = onRun();
            return new { refunded = amount, invoice = invoice_id, key = idempotency_key, refundId = "rf_" + n };
        },
        "issue_refund",
        "Refunds part or all of a charge on an invoice; the caller supplies an idempotency key.");

    private static string Json(object? value) => CanonicalJson.ToString(CanonicalJson.ToElement(value));

    private static bool SameJson(object? a, object? b) => JsonNode.DeepEquals(JsonNode.Parse(Json(a)), JsonNode.Parse(Json(b)));

    private static string? DataString(AuditRecord record, string name) =>
        record.Entry.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty(name, out var value) ? value.GetString() : null;

    /// <summary>The real store, except that the first claim waits until <see cref="Release"/>.</summary>
    private sealed class GatedStore(IIdempotencyStore inner) : IIdempotencyStore
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _claims;

        public Task FirstClaimEntered => _entered.Task;

        public void Release() => _release.TrySetResult();

        public async Task<IdempotencyRecord?> TryClaimAsync(IdempotencyRecord record, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _claims) == 1)
            {
                _entered.TrySetResult();
                await _release.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            }

            return await inner.TryClaimAsync(record, cancellationToken);
        }

        public Task<IdempotencyRecord?> GetAsync(string key, CancellationToken cancellationToken = default) => inner.GetAsync(key, cancellationToken);

        public Task CompleteAsync(string key, string resultJson, DateTimeOffset completedAt, CancellationToken cancellationToken = default) => inner.CompleteAsync(key, resultJson, completedAt, cancellationToken);

        public Task MarkUnknownAsync(string key, string note, CancellationToken cancellationToken = default) => inner.MarkUnknownAsync(key, note, cancellationToken);

        public Task ReleaseAsync(string key, CancellationToken cancellationToken = default) => inner.ReleaseAsync(key, cancellationToken);
    }
}
