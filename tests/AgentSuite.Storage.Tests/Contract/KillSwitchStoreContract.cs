using AgentSuite.Governance.KillSwitch;
using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

/// <summary>
/// What every kill switch store promises: switches engage and release by scope and keep who, when and why; a switch set
/// through one instance is loaded by every other. A store shared by instances also keeps a version that has moved by the
/// time a change returns, which the kill switch reads on every call; a store of one process keeps none.
/// </summary>
public abstract class KillSwitchStoreContract : StoreContract
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 30, 15, 123, TimeSpan.FromHours(2));

    private IKillSwitchStore Store => Backend.Get<IKillSwitchStore>();

    /// <summary>Whether <see cref="IKillSwitchStore.GetVersionAsync"/> answers a number (a store shared by instances) or null.</summary>
    protected abstract bool KeepsAVersion { get; }

    [Fact]
    public async Task Switches_engage_release_and_load_in_scope_order()
    {
        Assert.Empty(await Store.LoadEngagedAsync());

        await Store.SetAsync("tool:srv/x", engaged: true, "ops", T0);
        await Store.SetAsync("global", engaged: true, "ops", T0);
        await Store.SetAsync("agent:a", engaged: true, "ops", T0);
        Assert.Equal(["agent:a", "global", "tool:srv/x"], await Store.LoadEngagedAsync());

        await Store.SetAsync("global", engaged: false, "ops", T0.AddMinutes(1));
        Assert.Equal(["agent:a", "tool:srv/x"], await Store.LoadEngagedAsync());

        await Store.SetAsync("global", engaged: true, "ops", T0.AddMinutes(2));
        Assert.Equal(["agent:a", "global", "tool:srv/x"], await Store.LoadEngagedAsync());
    }

    [Fact]
    public async Task An_engaged_switch_keeps_who_engaged_it_when_and_why()
    {
        await Store.SetAsync("agent:a", engaged: true, "ops", T0);
        await Store.SetAsync("global", engaged: true, "bob", T0.AddMinutes(1), "refunds look wrong");
        await Store.SetAsync("server:erp", engaged: true, "bob", T0.AddMinutes(1), "maintenance");
        await Store.SetAsync("server:erp", engaged: false, "ops", T0.AddMinutes(2), "done");

        var changes = await Store.LoadEngagedChangesAsync();

        Assert.Equal(
            [new KillSwitchChange("agent:a", "ops", T0, null), new KillSwitchChange("global", "bob", T0.AddMinutes(1), "refunds look wrong")],
            changes);
    }

    [Fact]
    public async Task A_switch_set_through_one_instance_is_loaded_by_the_other()
    {
        await using var other = await Backend.SecondInstanceAsync();
        Assert.Empty(await Store.LoadEngagedAsync());

        await other.Get<IKillSwitchStore>().SetAsync("global", engaged: true, "ops", T0, "stop everything");

        Assert.Equal(["global"], await Store.LoadEngagedAsync());
        Assert.Equal("stop everything", Assert.Single(await Store.LoadEngagedChangesAsync()).Reason);
    }

    [Fact]
    public async Task The_version_another_instance_reads_has_moved_once_a_change_returns_where_the_store_keeps_one()
    {
        await using var other = await Backend.SecondInstanceAsync();
        var versions = new List<long?> { await Store.GetVersionAsync() };

        // Engaging, releasing and engaging again: each change, once returned, is seen in the next read on this instance.
        foreach (var engaged in new[] { true, false, true })
        {
            await other.Get<IKillSwitchStore>().SetAsync("global", engaged, "ops", T0);
            versions.Add(await Store.GetVersionAsync());
        }

        if (KeepsAVersion)
        {
            Assert.All(versions, v => Assert.NotNull(v));
            Assert.Equal(versions.Distinct().Count(), versions.Count);
            Assert.Equal(versions.Order(), versions);
        }
        else
        {
            Assert.All(versions, v => Assert.Null(v));
        }
    }
}
