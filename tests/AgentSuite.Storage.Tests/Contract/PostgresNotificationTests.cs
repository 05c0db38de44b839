using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Pinning;
using AgentSuite.Storage.Tests.Support;
using Npgsql;

namespace AgentSuite.Storage.Tests.Contract;

/// <summary>
/// What the PostgreSQL stores tell other instances: each write another instance must hear about sends one notification
/// from inside its transaction, delivered once it commits, and never for a write that failed or changed nothing.
/// Each test makes the writes that must stay silent first: notifications arrive in commit order, so the first one heard
/// being the later write's shows the earlier ones sent nothing.
/// </summary>
public sealed class PostgresNotificationTests : StoreContract
{
    private static readonly DateTimeOffset T0 = ApprovalStoreContract.T0;

    protected override Task<StoreBackend> CreateBackendAsync() => StoreBackend.PostgresAsync();

    [Fact]
    public async Task An_approval_decision_notifies_its_id_only_when_it_commits_a_change()
    {
        var store = Backend.Get<IApprovalStore>();
        await store.CreateAsync(ApprovalStoreContract.Request("refused", "call-1", T0));
        await store.CreateAsync(ApprovalStoreContract.Request("decided", "call-2", T0));
        await store.CreateAsync(ApprovalStoreContract.Request("approved", "call-3", T0));
        Assert.True(await store.TryResolveAsync("decided", ApprovalStatus.Denied, "bob", null, T0));
        await using var listener = await ChangeListener.StartAsync(Backend.ConnectionString);

        await using (await RefusedCommit.OnAsync(Backend.ConnectionString, "approvals"))
        {
            await Assert.ThrowsAsync<PostgresException>(() => store.TryResolveAsync("refused", ApprovalStatus.Approved, "bob", null, T0));
        }

        Assert.False(await store.TryResolveAsync("decided", ApprovalStatus.Approved, "carol", null, T0));
        Assert.False(await store.TryResolveAsync("missing", ApprovalStatus.Approved, "carol", null, T0));
        Assert.True(await store.TryResolveAsync("approved", ApprovalStatus.Approved, "carol", null, T0));

        Assert.Equal(new StoreChange(StoreChangeKind.ApprovalResolved, "approved"), await listener.NextAsync());
        Assert.Equal(ApprovalStatus.Pending, (await store.GetAsync("refused"))!.Status);
    }

    [Fact]
    public async Task A_tool_pin_save_notifies_its_tool_only_when_it_commits()
    {
        var store = Backend.Get<IToolPinStore>();
        await using var listener = await ChangeListener.StartAsync(Backend.ConnectionString);

        await using (await RefusedCommit.OnAsync(Backend.ConnectionString, "tool_pins"))
        {
            await Assert.ThrowsAsync<PostgresException>(() => store.SaveAsync(new ToolPin("srv/refused", "h", "h", "ops", T0, T0)));
        }

        await store.SaveAsync(new ToolPin("srv/saved", "h0", "h1", "ops", T0, T0));

        Assert.Equal(new StoreChange(StoreChangeKind.ToolPinChanged, "srv/saved"), await listener.NextAsync());
        Assert.Null(await store.GetAsync("srv/refused"));
    }

    [Fact]
    public async Task A_kill_switch_change_notifies_its_scope_and_moves_the_version_only_when_it_commits()
    {
        var store = Backend.Get<IKillSwitchStore>();
        await using var listener = await ChangeListener.StartAsync(Backend.ConnectionString);
        var before = await store.GetVersionAsync();

        await using (await RefusedCommit.OnAsync(Backend.ConnectionString, "kill_switches"))
        {
            await Assert.ThrowsAsync<PostgresException>(() => store.SetAsync("global", engaged: true, "ops", T0));
        }

        Assert.Equal(before, await store.GetVersionAsync());
        await store.SetAsync("agent:billing", engaged: true, "ops", T0, "refunds look wrong");

        Assert.Equal(new StoreChange(StoreChangeKind.KillSwitchChanged, "agent:billing"), await listener.NextAsync());
        Assert.Equal(["agent:billing"], await store.LoadEngagedAsync());
    }

    [Fact]
    public async Task Every_change_is_heard_by_a_listener_in_commit_order()
    {
        await using var listener = await ChangeListener.StartAsync(Backend.ConnectionString);
        await Backend.Get<IApprovalStore>().CreateAsync(ApprovalStoreContract.Request("a1", "call-1", T0));

        await Backend.Get<IKillSwitchStore>().SetAsync("global", engaged: true, "ops", T0);
        Assert.True(await Backend.Get<IApprovalStore>().TryResolveAsync("a1", ApprovalStatus.Approved, "bob", null, T0));
        await Backend.Get<IToolPinStore>().SaveAsync(new ToolPin("srv/a", "h", "h", "ops", T0, T0));
        await Backend.Get<IKillSwitchStore>().SetAsync("global", engaged: false, "ops", T0);

        Assert.Equal(new StoreChange(StoreChangeKind.KillSwitchChanged, "global"), await listener.NextAsync());
        Assert.Equal(new StoreChange(StoreChangeKind.ApprovalResolved, "a1"), await listener.NextAsync());
        Assert.Equal(new StoreChange(StoreChangeKind.ToolPinChanged, "srv/a"), await listener.NextAsync());
        Assert.Equal(new StoreChange(StoreChangeKind.KillSwitchChanged, "global"), await listener.NextAsync());
    }
}
