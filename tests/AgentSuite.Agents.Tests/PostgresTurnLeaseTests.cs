using AgentSuite.Governance;
using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Conversations;
using AgentSuite.Plugins.Tests.Support;
using AgentSuite.Storage.Postgres;
using AgentSuite.Tests.Postgres;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using static AgentSuite.Agents.Tests.DeskHarness;

namespace AgentSuite.Agents.Tests;

/// <summary>
/// The same takeover on the real shared store: the desk's conversations and turns in PostgreSQL
/// (<see cref="PostgresTurnStore"/>, leased to an <see cref="InstanceIdentity"/>), a second instance's turn store on the
/// same database, and the lease made to run out on the database's clock.
/// </summary>
public sealed class PostgresTurnLeaseTests
{
    private const string Request = "Please refund the duplicate charge on INV-1006";

    [Fact]
    public async Task TurnClaimedByAnotherInstanceStopsHereBeforeTheRefundAndTheClaimantPaysOnce()
    {
        var options = new PostgresStorageOptions { ConnectionString = await (await PostgresCluster.GetAsync()).CreateDatabaseAsync("leases") };
        var a = InstanceIdentity.Current(TimeProvider.System);
        var b = InstanceIdentity.Current(TimeProvider.System);
        var identity = a;
        var model = new ScriptedChatClient();
        model.For("coordinator", m => ScriptedChatClient.ToolResults(m) == 0
            ? ScriptedChatClient.Call("ask_billing", new() { ["request"] = Request })
            : ScriptedChatClient.Say(ScriptedChatClient.LastResult(m)));
        model.For("billing", m => ScriptedChatClient.ToolResults(m) switch
        {
            0 => ScriptedChatClient.Call("billing_get_invoice", new() { ["invoice_id"] = "INV-1006" }),
            1 => ScriptedChatClient.Call("billing_issue_refund", new() { ["invoice_id"] = "INV-1006", ["charge_id"] = "CH-8", ["amount"] = System.Text.Json.JsonDocument.Parse("150.00").RootElement, ["reason"] = "duplicate charge" }),
            _ => ScriptedChatClient.Say("Billing says: " + ScriptedChatClient.LastResult(m)),
        });
        await using var desk = await DeskHarness.StartAsync(PluginTransport.Stdio, services: (_, s) =>
        {
            s.AddSingleton<IChatClient>(model);
            s.AddSingleton(_ => identity);
            s.AddSingleton(_ => new PostgresGovernanceDatabase(options));
            s.AddSingleton<IConversationStore, PostgresConversationStore>();
            s.AddSingleton<ITurnStore, PostgresTurnStore>();
        });
        var conversation = (await desk.Conversations.CreateAsync(Alice)).Id;
        var events = new RecordedEvents();
        var turn = desk.Conversations.SendAsync(conversation, Alice, Request, events);
        var pending = await events.WaitForAsync(e => e.Type == GovernanceEventTypes.ApprovalPending).WaitAsync(Patience);

        // A stalls: its lease runs out on the database's clock, and B claims the turn.
        await using var other = new PostgresGovernanceDatabase(options);
        await using (var expire = other.DataSource.CreateCommand("UPDATE turns SET lease_until = now() - interval '1 second'"))
        {
            await expire.ExecuteNonQueryAsync();
        }

        var claimed = Assert.Single(await new PostgresTurnStore(other, b).ClaimUnfinishedAsync());
        await desk.Approvals.DecideAsync(pending.ApprovalId!, Bob, approve: true, "duplicate confirmed");
        var lost = await Assert.ThrowsAsync<TurnLeaseLostException>(() => turn.WaitAsync(Patience));

        Assert.Equal(b.Name, lost.Holder);
        Assert.Equal(0, desk.RefundsPaid("INV-1006"));
        Assert.Equal(GovernanceEventTypes.TurnMoved, events.All[^1].Type);
        Assert.DoesNotContain(events.All, e => e.Type == GovernanceEventTypes.TurnFailed);
        Assert.True(TurnStatus.IsActive((await desk.Conversations.GetLatestTurnAsync(conversation))!.Status));

        // B resumes it (the desk restarted as B, on the same databases): the approval pays once.
        identity = b;
        await desk.RestartAsync();
        var resumed = await desk.Conversations.ResumeAsync(claimed).WaitAsync(Patience);

        Assert.Contains("refund_id", resumed!.Reply, StringComparison.Ordinal);
        Assert.Equal(1, desk.RefundsPaid("INV-1006"));
        Assert.Equal(TurnStatus.Completed, (await desk.Conversations.GetLatestTurnAsync(conversation))!.Status);
    }
}
