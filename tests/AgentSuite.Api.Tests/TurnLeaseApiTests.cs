using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Governance.Conversations;
using AgentSuite.Storage.Sqlite;
using AgentSuite.Tests.Leases;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Api.Tests;

/// <summary>
/// Turn resumption across instances through the HTTP contract: each Api is an "instance" whose turn store leases turns
/// (<see cref="LeasingTurnStore"/> over its real SQLite store, the leases on one <see cref="LeaseBoard"/>), with a 3 s
/// lease, so the resumer renews and claims every second. Another instance's turn is resumed only once its lease ran
/// out or was released, and a message to its conversation meanwhile is refused with 409.
/// </summary>
public sealed class TurnLeaseApiTests
{
    private const string Refund = "I was charged twice on INV-1006, please refund it";
    // A decimal lease length is valid configuration; the resumer takes its period from the store's lease, not from here.
    private static readonly Dictionary<string, string?> ShortLease = new() { ["Storage:Postgres:TurnLeaseSeconds"] = "2.5" };

    [Fact]
    public async Task TurnOfAnInstanceThatStoppedRenewingIsClaimedOnceItsLeaseRunsOutAndPaysOnce()
    {
        var board = new LeaseBoard();
        var api = await ApiServer.StartAsync(ShortLease, Leasing(board, "api-1"));
        try
        {
            using var alice = api.Client("alice");
            var id = await alice.NewConversationAsync();
            var approvalId = await WaitingForApprovalAsync(alice, id);
            var runId = (await alice.GetJsonAsync($"/api/conversations/{id}")).GetProperty("turn").GetProperty("runId").GetString()!;

            // api-1 dies (it renews and releases nothing more); api-2 starts while api-1's lease still holds.
            board.Silence("api-1");
            api = await api.RestartAsync(ShortLease, configure: Leasing(board, "api-2"));
            using var alice2 = api.Client("alice");
            using var bob = api.Client("bob");
            Assert.Equal("api-1", board.HolderOf(runId));
            var busy = await alice2.PostAsync($"/api/conversations/{id}/messages", Json("""{"text":"anything new?"}"""));
            await busy.ProblemAsync(HttpStatusCode.Conflict, "may be running on another instance of the Api");

            // The lease runs out: api-2's next tick claims the turn and resumes it, waiting on the same approval.
            board.Expire("api-1");
            await WaitUntilAsync(() => board.HolderOf(runId) == "api-2");
            JsonElement? again = null;
            await WaitUntilAsync(async () =>
            {
                // Until the resumed turn's stream is live here, re-attaching replays api-1's trail and ends at once.
                await using var reattached = await ReattachAsync(alice2, id);
                again = await reattached.ReadUntilAsync("turn.resumed") is null ? null : await reattached.ReadUntilAsync("approval.pending");
                return again is not null;
            });
            Assert.Equal(approvalId, again!.Value.GetProperty("approvalId").GetString());

            await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "duplicate confirmed" });
            await WaitUntilAsync(async () => (await alice2.GetJsonAsync($"/api/conversations/{id}")).GetProperty("turn").GetProperty("status").GetString() == TurnStatus.Completed);

            Assert.Equal(1, BillingRefunds.Paid(api, "INV-1006").Count);
            Assert.True(board.Renewals.GetValueOrDefault("api-2") > 0);
            Assert.Null(board.HolderOf(runId));
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    [Fact]
    public async Task CleanStopReleasesTheLeasesSoTheNextInstanceResumesTheTurnAtItsStart()
    {
        var board = new LeaseBoard();
        var api = await ApiServer.StartAsync(ShortLease, Leasing(board, "api-1"));
        try
        {
            using var alice = api.Client("alice");
            var id = await alice.NewConversationAsync();
            var approvalId = await WaitingForApprovalAsync(alice, id);
            var runId = (await alice.GetJsonAsync($"/api/conversations/{id}")).GetProperty("turn").GetProperty("runId").GetString()!;

            api = await api.RestartAsync(ShortLease, configure: Leasing(board, "api-2"));

            // Released by api-1's stop, claimed by api-2's start: no lease had to run out.
            Assert.Equal("api-2", board.HolderOf(runId));
            using var alice2 = api.Client("alice");
            await using var reattached = await ReattachAsync(alice2, id);
            var again = await reattached.ReadUntilAsync("approval.pending");
            Assert.Equal(approvalId, again!.Value.GetProperty("approvalId").GetString());
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    /// <summary>Replaces the Api's turn store, after every registration, with one leasing turns as <paramref name="instance"/>.</summary>
    private static Action<WebApplicationBuilder> Leasing(LeaseBoard board, string instance) => builder =>
        builder.Host.ConfigureContainer<IServiceCollection>((_, services) =>
            services.AddSingleton<ITurnStore>(sp => new LeasingTurnStore(new SqliteTurnStore(sp.GetRequiredService<SqliteGovernanceDatabase>()), board, instance, TimeSpan.FromSeconds(3))));

    private static async Task<string> WaitingForApprovalAsync(HttpClient client, string id)
    {
        await using var stream = await EventStream.SendAsync(client, id, Refund);
        var pending = await stream.ReadUntilAsync("approval.pending");
        return pending!.Value.GetProperty("approvalId").GetString()!;
    }

    private static async Task<EventStream> ReattachAsync(HttpClient client, string id)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/conversations/{id}/turns/current/events");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return await EventStream.OpenAsync(client, request);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (!await condition())
        {
            await Task.Delay(100, patience.Token);
        }
    }
}
