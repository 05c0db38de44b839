using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Configuration;
using AgentSuite.Storage.Tests.Support;
using AgentSuite.Tests.Postgres;
using Microsoft.Extensions.AI;
using Npgsql;
using Xunit.Abstractions;

namespace AgentSuite.Storage.Tests.Cluster;

/// <summary>
/// Two in-process instances on one PostgreSQL database, each with its own listener, approvals, kill switch and pins over
/// the real stores: what is decided or engaged on B reaches A by notification or by the switch version, not by polling.
/// </summary>
public sealed class PostgresAcrossInstancesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly Principal Alice = new("alice", Roles.User);
    private static readonly Principal Bob = new("bob", Roles.User, Roles.Approver);
    private static readonly Principal Ops = new("ops", Roles.Admin);

    private ClusterInstance _a = null!;
    private ClusterInstance _b = null!;

    public async Task InitializeAsync()
    {
        var database = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync("cluster");
        _a = await ClusterInstance.StartAsync(database);
        _b = await ClusterInstance.StartAsync(database);
    }

    public async Task DisposeAsync()
    {
        await _b.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Fact]
    public async Task AnApprovalDecidedOnBReleasesTheTurnWaitingOnA()
    {
        var request = await _a.Approvals.RequestAsync(Request("apr_one"));
        var read = _a.ApprovalStore.ReadAsync("apr_one");
        var waiting = _a.Approvals.WaitAsync(request, ClusterInstance.NeverPolls);

        // The waiter has read the request (still pending) and is waiting: only the notification can release it now.
        await read.WaitAsync(Patience);
        await _b.Approvals.DecideAsync("apr_one", Bob, approve: true, "fine");
        var decided = Stopwatch.StartNew();
        var released = await waiting.WaitAsync(Patience);

        output.WriteLine($"Released on A {decided.Elapsed.TotalMilliseconds:F2} ms after B's decision returned");
        Assert.Equal((ApprovalStatus.Approved, "bob"), (released.Status, released.DecidedBy));
    }

    [Fact]
    public async Task AKillSwitchEngagedOnBDeniesTheVeryNextCallOnAEvenWithItsListenerStopped()
    {
        var tool = _a.Tools.Create(AIFunctionFactory.Create((string invoice) => $"invoice {invoice}", "get_invoice"), "billing", ToolAnnotations.ReadOnly);
        Assert.Equal(ToolCallStatus.Completed, (await CallAsync(tool, "call_1")).Status);
        Assert.Null(await _a.KillSwitch.FindEngagedForAsync(Alice));
        await _a.Listener.StopAsync(CancellationToken.None);

        await _b.KillSwitch.SetAsync("tool:billing/get_invoice", engaged: true, Ops, "invoices look wrong");
        await _b.KillSwitch.SetAsync("principal:alice", engaged: true, Ops, "stop alice");

        var denied = await CallAsync(tool, "call_2");
        Assert.Equal((ToolCallStatus.Denied, "kill-switch"), (denied.Status, denied.Stage));
        Assert.Contains("tool:billing/get_invoice", denied.Reason, StringComparison.Ordinal);
        Assert.Equal("principal:alice", await _a.KillSwitch.FindEngagedForAsync(Alice));

        await _b.KillSwitch.SetAsync("tool:billing/get_invoice", engaged: false, Ops);
        await _b.KillSwitch.SetAsync("principal:alice", engaged: false, Ops);
        Assert.Equal(ToolCallStatus.Completed, (await CallAsync(tool, "call_3")).Status);
    }

    [Fact]
    public async Task AToolPinReapprovedOnBIsAppliedOnA()
    {
        const string Refund = "billing/issue_refund";

        // A pins h1 on first use; its own save's notification comes back to it and drops the entry, so it reads it again.
        var ownSave = Announced(_a, StoreChangeKind.ToolPinChanged, Refund);
        Assert.False((await _a.Pins.ObserveAsync(Refund, "h1", "{\"v\":1}", PinningMode.TrustOnFirstUse)).IsBlocked);
        await ownSave.WaitAsync(Patience);
        Assert.False((await _a.Pins.ObserveAsync(Refund, "h1", "{\"v\":1}", PinningMode.TrustOnFirstUse)).IsBlocked);

        // B's server now serves h2 (recorded here without a notification, so only the approval's can reach A), and an
        // admin approves it on B. A never sees h2 itself; its cache still holds h1 as good.
        await ExecuteAsync("UPDATE tool_pins SET observed_hash = 'h2', observed_definition = '{\"v\":2}' WHERE tool = 'billing/issue_refund'");
        var approval = Announced(_a, StoreChangeKind.ToolPinChanged, Refund);
        await _b.Pins.ApproveAsync(Refund, Ops, "h2");
        await approval.WaitAsync(Patience);

        // h1 is no longer the approved definition on A, and h2 is.
        var old = await _a.Pins.ObserveAsync(Refund, "h1", "{\"v\":1}", PinningMode.TrustOnFirstUse);
        Assert.True(old.IsBlocked);
        Assert.Equal("h2", old.PinnedHash);
    }

    [Fact]
    public async Task AfterItsListenerConnectionIsTerminatedAChangeMadeOnBStillReachesA()
    {
        var resync = Announced(_a, StoreChangeKind.Resync);
        await TerminateAsync(_a.Listener.BackendProcessId);
        await resync.WaitAsync(Patience);
        await _a.Listener.Listening.WaitAsync(Patience);

        var waiting = _a.Approvals.WaitAsync(await _a.Approvals.RequestAsync(Request("apr_after")), ClusterInstance.NeverPolls);
        await _b.Approvals.DecideAsync("apr_after", Bob, approve: false, "no");

        Assert.Equal(ApprovalStatus.Denied, (await waiting.WaitAsync(Patience)).Status);
    }

    /// <summary>The figure in docs/PERFORMANCE.md: how long after B's decision returns the turn waiting on A is released.</summary>
    [Fact]
    public async Task ApprovalsDecidedOnBReleaseTheirWaitersOnA()
    {
        const int Count = 50;
        var afterReturn = new List<double>();
        var afterStart = new List<double>();
        for (var i = 0; i < Count; i++)
        {
            var id = $"apr_{i}";
            var waiting = _a.Approvals.WaitAsync(await _a.Approvals.RequestAsync(Request(id)), ClusterInstance.NeverPolls);
            var started = Stopwatch.GetTimestamp();
            await _b.Approvals.DecideAsync(id, Bob, approve: true, null);
            var returned = Stopwatch.GetTimestamp();
            var released = await waiting.WaitAsync(Patience);
            var end = Stopwatch.GetTimestamp();
            Assert.Equal(ApprovalStatus.Approved, released.Status);
            afterReturn.Add(Stopwatch.GetElapsedTime(returned, end).TotalMilliseconds);
            afterStart.Add(Stopwatch.GetElapsedTime(started, end).TotalMilliseconds);
        }

        output.WriteLine($"{Count} approvals decided on B, each releasing a waiter on A (polling every {ClusterInstance.NeverPolls.TotalMinutes} min, so only the notification releases it):");
        output.WriteLine($"  after B's decision returned: {Summary(afterReturn)}");
        output.WriteLine($"  after B's decision started (audit append, store write, commit): {Summary(afterStart)}");
    }

    private static string Summary(List<double> samples)
    {
        var sorted = samples.Order().ToList();
        string At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)].ToString("F2", CultureInfo.InvariantCulture);
        return $"median {At(0.5)} ms, p90 {At(0.9)} ms, max {At(1.0)} ms";
    }

    private static Task Announced(ClusterInstance instance, StoreChangeKind kind, string? key = null)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscription = instance.Changes.Subscribe(c =>
        {
            if (c.Kind == kind && (key is null || c.Key == key))
            {
                seen.TrySetResult();
            }
        });
        return seen.Task.ContinueWith(_ => subscription.Dispose(), TaskScheduler.Default);
    }

    private static Task<ToolCallOutcome> CallAsync(GovernedTool tool, string toolCallId) =>
        tool.InvokeGovernedAsync(new AIFunctionArguments(new Dictionary<string, object?> { ["invoice"] = "INV-1" }).WithToolCall(new AgentRunContext("conv-1", "run-1", "billing", Alice), toolCallId)).AsTask();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_a.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task TerminateAsync(int pid)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_a.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", connection);
        command.Parameters.AddWithValue("pid", pid);
        await command.ExecuteNonQueryAsync();
    }

    private static ApprovalRequest Request(string id) => new()
    {
        Id = id,
        ConversationId = "conv-1",
        RunId = "run-" + id,
        ToolCallId = "call_1",
        Agent = "billing",
        Tool = "billing/issue_refund",
        Arguments = "{}",
        ArgumentsHash = "hash",
        RequestedBy = "alice",
        RequestedAt = DateTimeOffset.UtcNow,
        ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(20),
        Reason = "refunds need a second person",
    };
}
