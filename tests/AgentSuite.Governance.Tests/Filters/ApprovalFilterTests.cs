using System.Text.Json;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Tests.Support;
using AgentSuite.Storage.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Governance.Tests.Filters;

public sealed class ApprovalFilterTests
{
    private const string Reason = "Refunds over 100 need a second person";

    /// <summary>Generous: the machine is slow and noisy. Nothing asserts on how long anything took.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly Principal Carol = new("carol", Roles.User, Roles.Approver);

    [Fact]
    public async Task SmallRefundRunsWithoutApproval()
    {
        using var harness = WithRefundRule();
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund());
        var events = new RecordingEvents();

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(events: events), "c1", RefundArgs(50)).WaitAsync(Patience);

        Assert.Equal(ToolCallStatus.Completed, outcome.Status);
        Assert.Equal(1, counter.Calls);
        Assert.Empty(await harness.Approvals.ListAsync(null));
        Assert.DoesNotContain(events.Events, e => e.Type == GovernanceEventTypes.ApprovalPending);
        Assert.DoesNotContain(await harness.AuditAsync(), r => r.Entry.Kind.StartsWith("approval.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ApprovedRefundRunsExactlyOnce()
    {
        using var harness = WithRefundRule();
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund());
        var events = new RecordingEvents();

        var call = GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(events: events), "c1", RefundArgs(150));
        var pending = await events.WaitForAsync(GovernanceEventTypes.ApprovalPending, Patience);
        var approvalId = Assert.IsType<string>(pending.ApprovalId);
        Assert.Equal(Reason, pending.Reason);

        var stored = await harness.Approvals.GetAsync(approvalId);
        Assert.NotNull(stored);
        Assert.Equal(ApprovalStatus.Pending, stored.Status);
        Assert.Equal("alice", stored.RequestedBy);
        Assert.Equal("billing/issue_refund", stored.Tool);
        Assert.Equal(Reason, stored.Reason);
        Assert.Equal(0, counter.Calls);

        var decided = await harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: true, "ok");
        Assert.Equal(ApprovalStatus.Approved, decided.Status);

        var outcome = await call.WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Completed, outcome.Status);
        Assert.Equal(1, counter.Calls);

        var resolvedEvent = await events.WaitForAsync(GovernanceEventTypes.ApprovalResolved, Patience);
        Assert.Equal("approved", resolvedEvent.Decision);
        Assert.Equal(approvalId, resolvedEvent.ApprovalId);

        var trail = (await harness.AuditAsync())
            .Where(r => r.Entry.ToolCallId == "c1")
            .Where(r => r.Entry.Kind is "approval.requested" or "approval.resolved" or GovernanceEventTypes.ToolDecision or GovernanceEventTypes.ToolCompleted)
            .ToList();
        Assert.Equal(
            ["approval.requested", "approval.resolved:approved", "tool.decision:allowed", "tool.completed:completed"],
            trail.Select(r => $"{r.Entry.Kind}{(r.Entry.Kind == "approval.requested" ? "" : ":" + r.Entry.Decision)}"));
        Assert.True(trail.Select(r => r.Seq).SequenceEqual(trail.Select(r => r.Seq).Order()));

        Assert.Equal("alice", trail[0].Entry.Principal);
        Assert.Equal(approvalId, DataString(trail[0], "approvalId"));
        Assert.Equal("bob", trail[1].Entry.Principal);
        Assert.Equal(approvalId, DataString(trail[1], "approvalId"));
        Assert.Equal(approvalId, DataString(trail[2], "approvalId"));
        Assert.Equal("bob", DataString(trail[2], "approvedBy"));
    }

    [Fact]
    public async Task DeniedRefundNeverRuns()
    {
        using var pending = await StartPendingRefundAsync();
        var (harness, counter, call, approvalId) = pending;

        await harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: false, "customer already refunded by bank");

        var outcome = await call.WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("approval", outcome.Stage);
        Assert.Contains("customer already refunded by bank", outcome.Reason, StringComparison.Ordinal);
        Assert.Contains("bob", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
        Assert.Equal(ApprovalStatus.Denied, (await harness.Approvals.GetAsync(approvalId))!.Status);

        var audit = await harness.AuditAsync();
        Assert.Contains(audit, r => r.Entry.Kind == "approval.resolved" && r.Entry.Decision == "denied" && r.Entry.Principal == "bob");
        Assert.Contains(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolDecision && r.Entry.Decision == "denied" && r.Entry.ToolCallId == "c1");
        Assert.DoesNotContain(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolDecision && r.Entry.Decision == "allowed");
        Assert.DoesNotContain(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolCompleted);
    }

    [Fact]
    public async Task UnansweredApprovalTimesOutAsDenial()
    {
        using var harness = WithRefundRule(o => o.Approval.Timeout = TimeSpan.FromMilliseconds(300));
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund());
        var events = new RecordingEvents();

        var outcome = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(events: events), "c1", RefundArgs(150)).WaitAsync(Patience);

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("approval", outcome.Stage);
        Assert.Contains("timeout", outcome.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, counter.Calls);

        var approvalId = (await events.WaitForAsync(GovernanceEventTypes.ApprovalPending, Patience)).ApprovalId!;
        var stored = await harness.Approvals.GetAsync(approvalId);
        Assert.Equal(ApprovalStatus.TimedOut, stored!.Status);
        Assert.Equal("system", stored.DecidedBy);

        var resolved = Assert.Single(await harness.AuditAsync(), r => r.Entry.Kind == "approval.resolved");
        Assert.Equal("timed_out", resolved.Entry.Decision);
        Assert.Equal(approvalId, DataString(resolved, "approvalId"));
        Assert.Equal("timed_out", (await events.WaitForAsync(GovernanceEventTypes.ApprovalResolved, Patience)).Decision);

        // A decision arriving after the timeout is refused: the call is already over.
        var late = await Assert.ThrowsAsync<ApprovalException>(() => harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: true, null));
        Assert.Equal(ApprovalErrorKind.AlreadyDecided, late.Kind);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task RequesterCannotApproveOwnRequest()
    {
        using var harness = WithRefundRule();
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund());
        var events = new RecordingEvents();
        var aliceApprover = new Principal("alice", Roles.User, Roles.Approver);

        var call = GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(principal: aliceApprover, events: events), "c1", RefundArgs(150));
        var approvalId = (await events.WaitForAsync(GovernanceEventTypes.ApprovalPending, Patience)).ApprovalId!;

        var refused = await Assert.ThrowsAsync<ApprovalException>(() => harness.Approvals.DecideAsync(approvalId, aliceApprover, approve: true, "looks fine to me"));
        Assert.Equal(ApprovalErrorKind.SelfApproval, refused.Kind);

        // Same person with different casing is still the same person.
        var shouting = new Principal("ALICE", Roles.Approver);
        Assert.Equal(ApprovalErrorKind.SelfApproval, (await Assert.ThrowsAsync<ApprovalException>(() => harness.Approvals.DecideAsync(approvalId, shouting, approve: true, null))).Kind);

        Assert.Equal(ApprovalStatus.Pending, (await harness.Approvals.GetAsync(approvalId))!.Status);
        Assert.False(call.IsCompleted);
        Assert.Equal(0, counter.Calls);

        await harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: true, null);
        var outcome = await call.WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Completed, outcome.Status);
        Assert.Equal(1, counter.Calls);
    }

    [Fact]
    public async Task ApproverRoleIsRequired()
    {
        using var pending = await StartPendingRefundAsync();
        var (harness, counter, call, approvalId) = pending;

        var dave = new Principal("dave", Roles.User);
        var refused = await Assert.ThrowsAsync<ApprovalException>(() => harness.Approvals.DecideAsync(approvalId, dave, approve: true, null));
        Assert.Equal(ApprovalErrorKind.NotAnApprover, refused.Kind);
        Assert.Equal(ApprovalErrorKind.NotAnApprover, (await Assert.ThrowsAsync<ApprovalException>(() => harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Admin, approve: true, null))).Kind);
        Assert.Equal(ApprovalErrorKind.NotFound, (await Assert.ThrowsAsync<ApprovalException>(() => harness.Approvals.DecideAsync("apr_missing", GovernanceHarness.Bob, approve: true, null))).Kind);

        Assert.Equal(ApprovalStatus.Pending, (await harness.Approvals.GetAsync(approvalId))!.Status);
        Assert.Equal(0, counter.Calls);

        await harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: false, null);
        Assert.Equal(ToolCallStatus.Denied, (await call.WaitAsync(Patience)).Status);
        Assert.Equal(0, counter.Calls);
    }

    [Fact]
    public async Task SecondDecisionIsRefused()
    {
        using var pending = await StartPendingRefundAsync();
        var (harness, counter, call, approvalId) = pending;

        await harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: true, null);
        var second = await Assert.ThrowsAsync<ApprovalException>(() => harness.Approvals.DecideAsync(approvalId, Carol, approve: false, "no"));
        Assert.Equal(ApprovalErrorKind.AlreadyDecided, second.Kind);
        Assert.Contains("bob", second.Message, StringComparison.Ordinal);
        Assert.Equal(ApprovalErrorKind.AlreadyDecided, (await Assert.ThrowsAsync<ApprovalException>(() => harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: true, null))).Kind);

        var outcome = await call.WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Completed, outcome.Status);
        Assert.Equal(1, counter.Calls);

        var stored = await harness.Approvals.GetAsync(approvalId);
        Assert.Equal(ApprovalStatus.Approved, stored!.Status);
        Assert.Equal("bob", stored.DecidedBy);
        Assert.Single(await harness.AuditAsync(), r => r.Entry.Kind == "approval.resolved");
    }

    [Fact]
    public async Task ApprovalOfArgumentsADoesNotReleaseArgumentsB()
    {
        using var harness = WithRefundRule(o => o.Approval.Timeout = TimeSpan.FromSeconds(30));
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund());
        var events = new RecordingEvents();
        var run = GovernanceHarness.Run(events: events);

        var callA = GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(150));
        var firstId = (await WaitForPendingAsync(events, 1)).ApprovalId!;
        await harness.Approvals.DecideAsync(firstId, GovernanceHarness.Bob, approve: true, "150 is fine");
        Assert.Equal(ToolCallStatus.Completed, (await callA.WaitAsync(Patience)).Status);
        Assert.Equal(1, counter.Calls);

        // Same run, same tool-call id, other arguments: A's approval must not cover them.
        var callB = GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(900));
        var second = await WaitForPendingAsync(events, 2);
        var secondId = second.ApprovalId!;
        Assert.NotEqual(firstId, secondId);
        Assert.Equal(1, counter.Calls);

        var a = await harness.Approvals.GetAsync(firstId);
        var b = await harness.Approvals.GetAsync(secondId);
        Assert.Equal(ApprovalStatus.Pending, b!.Status);
        Assert.NotEqual(a!.ArgumentsHash, b.ArgumentsHash);
        Assert.Contains("900", b.Arguments, StringComparison.Ordinal);
        Assert.Equal(2, (await harness.Approvals.FindByToolCallAsync("run-1", "c1")).Count);

        await harness.Approvals.DecideAsync(secondId, GovernanceHarness.Bob, approve: false, "900 is too much");
        var outcomeB = await callB.WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Denied, outcomeB.Status);
        Assert.Equal("approval", outcomeB.Stage);
        Assert.Equal(1, counter.Calls);

        // And a retry of B is still refused (its own request was denied), while A stays approved.
        var retryB = await GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(900)).WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Denied, retryB.Status);
        Assert.Equal(1, counter.Calls);
        Assert.Equal(2, events.Events.Count(e => e.Type == GovernanceEventTypes.ApprovalPending));
    }

    [Fact]
    public async Task RetryOfApprovedCallReusesItsApproval()
    {
        using var harness = WithRefundRule();
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund());
        var events = new RecordingEvents();

        var first = GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(events: events), "c1", RefundArgs(150));
        var approvalId = (await events.WaitForAsync(GovernanceEventTypes.ApprovalPending, Patience)).ApprovalId!;
        await harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: true, null);
        var firstOutcome = await first.WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Completed, firstOutcome.Status);

        var retryEvents = new RecordingEvents();
        var retry = await GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(events: retryEvents), "c1", RefundArgs(150)).WaitAsync(Patience);

        Assert.Equal(ToolCallStatus.Replayed, retry.Status);
        Assert.True(JsonNodeEquals(firstOutcome.Result, retry.Result));
        Assert.Equal(1, counter.Calls);
        Assert.DoesNotContain(retryEvents.Events, e => e.Type == GovernanceEventTypes.ApprovalPending);
        Assert.Single(await harness.Approvals.ListAsync(null));

        var audit = await harness.AuditAsync();
        Assert.Single(audit, r => r.Entry.Kind == "approval.requested");
        Assert.Single(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolReplayed);
    }

    [Fact]
    public async Task ANewRequestKeepsItsContextAndIsNotifiedOnceAndARetryThatFindsItIsNotNotifiedAgain()
    {
        var notified = new RecordingNotifier();
        using var harness = new GovernanceHarness(
            o => o.Approval.Rules.Add(new ApprovalRuleOptions { Tool = "billing/issue_refund", When = "amount > 100", Reason = Reason }),
            overrideServices: s => s.AddSingleton<IApprovalNotifier>(notified));
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund());
        var events = new RecordingEvents();
        var run = GovernanceHarness.Run(events: events) with { Callers = ["coordinator"], Request = "I was charged twice, refund it" };

        var first = GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(150));
        var approvalId = (await WaitForPendingAsync(events, 1)).ApprovalId!;
        var retry = GovernanceHarness.CallAsync(tool, run, "c1", RefundArgs(150));
        await WaitForPendingAsync(events, 2);

        var told = Assert.Single(notified.Requests);
        Assert.Equal(approvalId, told.Id);
        Assert.Equal(["coordinator", "billing"], told.AgentPath);
        Assert.Equal("I was charged twice, refund it", told.Request);
        Assert.Equal("billing/issue_refund#run:conv-1/run-1/c1", told.IdempotencyKey);
        var stored = await harness.Approvals.GetAsync(approvalId);
        Assert.Equal((told.Request, told.IdempotencyKey), (stored!.Request, stored.IdempotencyKey));
        Assert.Equal(told.AgentPath, stored.AgentPath);

        await harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: true, null);
        Assert.All(await Task.WhenAll(first, retry).WaitAsync(Patience), o => Assert.True(o.Status is ToolCallStatus.Completed or ToolCallStatus.Replayed, o.ToString()));
        Assert.Single(notified.Requests);
    }

    [Fact]
    public async Task ANotifierThatThrowsNeitherFailsNorHoldsUpTheCall()
    {
        using var harness = new GovernanceHarness(
            o => o.Approval.Rules.Add(new ApprovalRuleOptions { Tool = "billing/issue_refund", When = "amount > 100", Reason = Reason }),
            overrideServices: s => s.AddSingleton<IApprovalNotifier>(new RecordingNotifier(fail: true)));
        var tool = harness.Tool(new CountingTool().Refund());
        var events = new RecordingEvents();

        var call = GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(events: events), "c1", RefundArgs(150));
        var approvalId = (await WaitForPendingAsync(events, 1)).ApprovalId!;
        await harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: true, null);

        Assert.Equal(ToolCallStatus.Completed, (await call.WaitAsync(Patience)).Status);
    }

    /// <summary>Keeps what it is told; with <c>fail</c> it throws instead, as a broken notifier would.</summary>
    private sealed class RecordingNotifier(bool fail = false) : IApprovalNotifier
    {
        private readonly List<ApprovalRequest> _requests = [];

        public IReadOnlyList<ApprovalRequest> Requests
        {
            get
            {
                lock (_requests)
                {
                    return [.. _requests];
                }
            }
        }

        public void Requested(ApprovalRequest request)
        {
            if (fail)
            {
                throw new InvalidOperationException("The notifier is broken.");
            }

            lock (_requests)
            {
                _requests.Add(request);
            }
        }
    }

    [Fact]
    public async Task AnnotationRuleRequiresApprovalForDestructiveTools()
    {
        using var harness = new GovernanceHarness(o => o.Approval.Rules.Add(new ApprovalRuleOptions { Tool = "*", Annotation = "destructiveHint" }));
        var counter = new CountingTool();
        var destructive = harness.Tool(counter.Refund(), annotations: new ToolAnnotations(DestructiveHint: true));
        var readOnly = harness.Tool(counter.Lookup(), annotations: ToolAnnotations.ReadOnly);
        var events = new RecordingEvents();
        var run = GovernanceHarness.Run(events: events);

        var lookup = await GovernanceHarness.CallAsync(readOnly, run, "c-read", CountingTool.Args(("invoice_id", "inv-1"))).WaitAsync(Patience);
        Assert.Equal(ToolCallStatus.Completed, lookup.Status);
        Assert.Equal(1, counter.Calls);
        Assert.DoesNotContain(events.Events, e => e.Type == GovernanceEventTypes.ApprovalPending);

        var refund = GovernanceHarness.CallAsync(destructive, run, "c-write", RefundArgs(5));
        var pending = await events.WaitForAsync(GovernanceEventTypes.ApprovalPending, Patience);
        Assert.Equal("c-write", pending.ToolCallId);
        Assert.Contains("destructiveHint", pending.Reason, StringComparison.Ordinal);
        Assert.Equal(1, counter.Calls);

        await harness.Approvals.DecideAsync(pending.ApprovalId!, GovernanceHarness.Bob, approve: false, null);
        Assert.Equal(ToolCallStatus.Denied, (await refund.WaitAsync(Patience)).Status);
        Assert.Equal(1, counter.Calls);
    }

    [Fact]
    public async Task ConditionThatCannotBeEvaluatedRequiresApproval()
    {
        using var harness = new GovernanceHarness(o => o.Approval.Rules.Add(new ApprovalRuleOptions { Tool = "billing/*", When = "amount > 100", Reason = Reason }));
        var counter = new CountingTool();
        var lookup = harness.Tool(counter.Lookup());
        var refund = harness.Tool(counter.Refund());
        var events = new RecordingEvents();
        var run = GovernanceHarness.Run(events: events);

        // The condition evaluates to false: no approval.
        Assert.Equal(ToolCallStatus.Completed, (await GovernanceHarness.CallAsync(refund, run, "c-small", RefundArgs(50)).WaitAsync(Patience)).Status);
        Assert.Equal(1, counter.Calls);

        // No 'amount' argument: the condition cannot be evaluated, so it must not be taken as false.
        var call = GovernanceHarness.CallAsync(lookup, run, "c-lookup", CountingTool.Args(("invoice_id", "inv-1")));
        var pending = await events.WaitForAsync(GovernanceEventTypes.ApprovalPending, Patience);
        Assert.Equal("c-lookup", pending.ToolCallId);
        Assert.Equal(ApprovalStatus.Pending, (await harness.Approvals.GetAsync(pending.ApprovalId!))!.Status);
        Assert.Equal(1, counter.Calls);

        await harness.Approvals.DecideAsync(pending.ApprovalId!, GovernanceHarness.Bob, approve: false, null);
        Assert.Equal(ToolCallStatus.Denied, (await call.WaitAsync(Patience)).Status);
        Assert.Equal(1, counter.Calls);
    }

    [Fact]
    public async Task ToolMarkedApprovalRequiredWaits()
    {
        using var harness = new GovernanceHarness();
        var counter = new CountingTool();
        var inner = counter.Refund();
        var marked = new ApprovalRequiredAIFunction(inner);
        var tool = harness.Tool(marked);
        var events = new RecordingEvents();

        Assert.Equal("billing/issue_refund", tool.Descriptor.Identity.Key);
        Assert.True(tool.InnerRequiresApproval);
        Assert.Same(marked, tool.GetService<ApprovalRequiredAIFunction>());
        Assert.Same(inner, tool.GetService(inner.GetType()));
        Assert.Same(tool, tool.GetService<GovernedTool>());

        var call = GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(events: events), "c1", RefundArgs(1));
        var pending = await events.WaitForAsync(GovernanceEventTypes.ApprovalPending, Patience);
        Assert.Contains("requires approval", pending.Reason, StringComparison.Ordinal);
        Assert.Equal(0, counter.Calls);
        Assert.False(call.IsCompleted);

        await harness.Approvals.DecideAsync(pending.ApprovalId!, GovernanceHarness.Bob, approve: true, null);
        Assert.Equal(ToolCallStatus.Completed, (await call.WaitAsync(Patience)).Status);
        Assert.Equal(1, counter.Calls);

        // An unmarked tool under the same (empty) rules runs at once.
        var plain = harness.Tool(counter.Lookup());
        Assert.False(plain.InnerRequiresApproval);
        Assert.Null(plain.GetService<ApprovalRequiredAIFunction>());
        Assert.Equal(ToolCallStatus.Completed, (await GovernanceHarness.CallAsync(plain, GovernanceHarness.Run(), "c2", CountingTool.Args(("invoice_id", "inv-1"))).WaitAsync(Patience)).Status);
        Assert.Equal(2, counter.Calls);
    }

    [Fact]
    public async Task CancelledWaitLeavesNoExecution()
    {
        using var harness = WithRefundRule();
        var counter = new CountingTool();
        var tool = harness.Tool(counter.Refund());
        var events = new RecordingEvents();
        using var cts = new CancellationTokenSource();

        var call = GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(events: events), "c1", RefundArgs(150), cts.Token);
        var approvalId = (await events.WaitForAsync(GovernanceEventTypes.ApprovalPending, Patience)).ApprovalId!;

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Patience));
        Assert.Equal(0, counter.Calls);

        // Approving after the caller gave up releases nothing: nobody is waiting any more.
        await harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: true, null);
        Assert.Equal(0, counter.Calls);

        var audit = await harness.AuditAsync();
        Assert.Contains(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolFailed && r.Entry.Decision == "cancelled" && r.Entry.ToolCallId == "c1");
        Assert.DoesNotContain(audit, r => r.Entry.Kind == GovernanceEventTypes.ToolDecision && r.Entry.Decision == "allowed");
    }

    /// <summary>
    /// The audit must show the decision before the tool runs on it. Here the approver's audit write is slow (it is held
    /// until the tool runs, or 5 s): a waiter that polls the store sees "Approved" as soon as the row changes and runs the
    /// tool before the decision is in the audit log, so the chain reads allowed/completed before approval.resolved.
    /// </summary>
    [Fact]
    public async Task ToolDoesNotRunBeforeTheDecisionIsAudited()
    {
        var toolRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var harness = new GovernanceHarness(
            o => o.Approval.Rules.Add(new ApprovalRuleOptions { Tool = "billing/issue_refund", When = "amount > 100", Reason = Reason }),
            audit: sp => new SlowDecisionAudit(sp.GetRequiredService<SqliteAuditStore>(), toolRan.Task));
        var resolvedAuditedBeforeRun = (bool?)null;
        var runs = 0;
        var tool = harness.Tool(AIFunctionFactory.Create(
            async (decimal amount, string invoice_id) =>
            {
                Interlocked.Increment(ref runs);
                var audit = await harness.AuditAsync();
                resolvedAuditedBeforeRun = audit.Any(r => r.Entry.Kind == "approval.resolved");
                toolRan.TrySetResult();
                return new { refunded = amount, invoice = invoice_id };
            },
            "issue_refund",
            "Refunds part or all of a charge on an invoice."));
        var events = new RecordingEvents();

        var call = GovernanceHarness.CallAsync(tool, GovernanceHarness.Run(events: events), "c1", RefundArgs(150));
        var approvalId = (await events.WaitForAsync(GovernanceEventTypes.ApprovalPending, Patience)).ApprovalId!;
        var decide = harness.Approvals.DecideAsync(approvalId, GovernanceHarness.Bob, approve: true, null);

        Assert.Equal(ToolCallStatus.Completed, (await call.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        await decide.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, runs);

        var kinds = (await harness.AuditAsync())
            .Where(r => r.Entry.ToolCallId == "c1" && r.Entry.Kind != "approval.requested")
            .Select(r => $"{r.Entry.Kind}:{r.Entry.Decision}")
            .ToList();
        Assert.True(resolvedAuditedBeforeRun, $"The tool ran before the approval decision was in the audit log; audit order: {string.Join(", ", kinds)}.");
        Assert.Equal(["approval.resolved:approved", "tool.decision:allowed", "tool.completed:completed"], kinds);
    }

    /// <summary>A refund of <paramref name="amount"/> under the approval rule, started and waiting for its decision.</summary>
    private static async Task<PendingRefund> StartPendingRefundAsync(decimal amount = 150)
    {
        var harness = WithRefundRule();
        var counter = new CountingTool();
        var events = new RecordingEvents();
        var call = GovernanceHarness.CallAsync(harness.Tool(counter.Refund()), GovernanceHarness.Run(events: events), "c1", RefundArgs(amount));
        var approvalId = (await events.WaitForAsync(GovernanceEventTypes.ApprovalPending, Patience)).ApprovalId!;
        return new PendingRefund(harness, counter, call, approvalId);
    }

    private sealed record PendingRefund(GovernanceHarness Harness, CountingTool Counter, Task<ToolCallOutcome> Call, string ApprovalId) : IDisposable
    {
        public void Dispose() => Harness.Dispose();
    }

    private static GovernanceHarness WithRefundRule(Action<GovernanceOptions>? more = null) => new(o =>
    {
        o.Approval.Rules.Add(new ApprovalRuleOptions { Tool = "billing/issue_refund", When = "amount > 100", Reason = Reason });
        more?.Invoke(o);
    });

    private static Dictionary<string, object?> RefundArgs(decimal amount, string invoice = "inv-1") =>
        CountingTool.Args(("amount", amount), ("invoice_id", invoice));

    private static string? DataString(AuditRecord record, string name) =>
        record.Entry.Data is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static bool JsonNodeEquals(object? a, object? b) =>
        System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(CanonicalJson.ToString(CanonicalJson.ToElement(a))),
            System.Text.Json.Nodes.JsonNode.Parse(CanonicalJson.ToString(CanonicalJson.ToElement(b))));

    /// <summary>Waits until at least <paramref name="count"/> approval.pending events arrived and returns the last.</summary>
    private static async Task<GovernanceEvent> WaitForPendingAsync(RecordingEvents events, int count)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            var pending = events.Events.Where(e => e.Type == GovernanceEventTypes.ApprovalPending).ToList();
            if (pending.Count >= count)
            {
                return pending[count - 1];
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"Fewer than {count} '{GovernanceEventTypes.ApprovalPending}' events; saw: {string.Join(", ", events.Types)}");
    }

    /// <summary>A real audit store whose approval.resolved appends are slow: held until the tool runs, at most 5 s.</summary>
    private sealed class SlowDecisionAudit(IAuditStore inner, Task release) : IAuditStore
    {
        public async ValueTask<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            if (entry.Kind == "approval.resolved")
            {
                await Task.WhenAny(release, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
            }

            return await inner.AppendAsync(entry, cancellationToken);
        }

        public IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(query, cancellationToken);
    }
}
