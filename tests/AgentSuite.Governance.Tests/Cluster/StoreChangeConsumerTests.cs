using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Governance.Tests.Cluster;

/// <summary>
/// Two instances on one SQLite file, with polling set so long that only an announced change can reach the other
/// instance within the test: what each service does when <see cref="StoreChanges"/> hands it another instance's change.
/// </summary>
public sealed class StoreChangeConsumerTests : IDisposable
{
    private static readonly TimeSpan NeverPolls = TimeSpan.FromMinutes(10);

    private readonly GovernanceHarness _a = new(Slow);
    private readonly GovernanceHarness _b;

    public StoreChangeConsumerTests() =>
        _b = new GovernanceHarness(Slow, overrideServices: s => s.AddSqliteGovernanceStores($"Data Source={_a.DatabasePath}"));

    private StoreChanges ChangesOfA => _a.Services.GetRequiredService<StoreChanges>();

    public void Dispose()
    {
        _b.Dispose();
        _a.Dispose();
    }

    private static void Slow(GovernanceOptions o)
    {
        o.KillSwitch.RefreshInterval = NeverPolls;
        o.Approval.PollInterval = NeverPolls;
    }

    [Fact]
    public async Task AnApprovalDecidedOnAnotherInstanceReleasesTheWaiterOnceAnnounced()
    {
        var request = await _a.Approvals.RequestAsync(Request("apr_one"));
        var waiting = _a.Approvals.WaitAsync(request, NeverPolls);

        await _b.Approvals.DecideAsync("apr_one", GovernanceHarness.Bob, approve: true, "fine");
        ChangesOfA.Publish(new StoreChange(StoreChangeKind.ApprovalResolved, "apr_one"));

        var decided = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal((ApprovalStatus.Approved, "bob"), (decided.Status, decided.DecidedBy));
    }

    [Fact]
    public async Task AResyncReleasesEveryWaiterWhoseRequestWasDecidedAndLeavesThePendingOnesWaiting()
    {
        var first = _a.Approvals.WaitAsync(await _a.Approvals.RequestAsync(Request("apr_first")), NeverPolls);
        var second = _a.Approvals.WaitAsync(await _a.Approvals.RequestAsync(Request("apr_second")), NeverPolls);

        await _b.Approvals.DecideAsync("apr_first", GovernanceHarness.Bob, approve: false, "no");
        ChangesOfA.Publish(new StoreChange(StoreChangeKind.Resync, ""));

        Assert.Equal(ApprovalStatus.Denied, (await first.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        Assert.False(second.IsCompleted);
        await _b.Approvals.DecideAsync("apr_second", GovernanceHarness.Bob, approve: true, null);
        ChangesOfA.Publish(new StoreChange(StoreChangeKind.ApprovalResolved, "apr_second"));
        Assert.Equal(ApprovalStatus.Approved, (await second.WaitAsync(TimeSpan.FromSeconds(30))).Status);
    }

    [Fact]
    public async Task AKillSwitchEngagedOnAnotherInstanceStopsCallsOnceAnnouncedAndNotBeforeTheRefreshOnAStoreWithoutAVersion()
    {
        Assert.Null(await _a.KillSwitch.FindEngagedForAsync(GovernanceHarness.Alice));

        await _b.KillSwitch.SetAsync("global", engaged: true, GovernanceHarness.Admin, "stop everything");

        // SQLite has no switch version: until the refresh interval or an announcement, A judges by the set it loaded.
        Assert.Null(await _a.KillSwitch.FindEngagedForAsync(GovernanceHarness.Alice));
        ChangesOfA.Publish(new StoreChange(StoreChangeKind.KillSwitchChanged, "global"));
        Assert.Equal("global", await _a.KillSwitch.FindEngagedForAsync(GovernanceHarness.Alice));
    }

    [Fact]
    public async Task APinReapprovedOnAnotherInstanceIsJudgedFromTheStoreOnceAnnounced()
    {
        var first = await _a.Pins.ObserveAsync("billing/issue_refund", "h1", "{}", PinningMode.TrustOnFirstUse);
        Assert.False(first.IsBlocked);

        // B serves a new definition and an admin approves it there: h1 is no longer the approved one.
        Assert.True((await _b.Pins.ObserveAsync("billing/issue_refund", "h2", "{\"v\":2}", PinningMode.TrustOnFirstUse)).IsBlocked);
        await _b.Pins.ApproveAsync("billing/issue_refund", GovernanceHarness.Admin);
        Assert.False((await _a.Pins.ObserveAsync("billing/issue_refund", "h1", "{}", PinningMode.TrustOnFirstUse)).IsBlocked);

        ChangesOfA.Publish(new StoreChange(StoreChangeKind.ToolPinChanged, "billing/issue_refund"));
        var judged = await _a.Pins.ObserveAsync("billing/issue_refund", "h1", "{}", PinningMode.TrustOnFirstUse);
        Assert.True(judged.IsBlocked);
        Assert.Equal("h2", judged.PinnedHash);
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
