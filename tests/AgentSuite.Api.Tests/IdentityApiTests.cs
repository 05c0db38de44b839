using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

public sealed class IdentityApiTests
{
    private static readonly Dictionary<string, string?> Keys = DeskKeys.Settings();

    [Fact]
    public async Task WithKeysConfiguredAMissingOrWrongKeyIs401AndAMissingRoleIs403NamingTheRole()
    {
        await using var api = await ApiServer.StartAsync(Keys);
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };
        using var wrong = api.ClientWithKey("not-a-key-at-all-123");
        using var alice = api.ClientWithKey("alice-key-0123456789");
        using var bob = api.ClientWithKey("bob-key-01234567890");
        using var ops = api.ClientWithKey("ops-key-01234567890");

        using (var r = await anonymous.PostAsJsonAsync("/api/conversations", new { }))
        {
            await r.ProblemAsync(HttpStatusCode.Unauthorized, "Send your API key in the X-Api-Key header.");
        }

        using (var r = await wrong.GetAsync("/api/me"))
        {
            await r.ProblemAsync(HttpStatusCode.Unauthorized, "does not match any configured key");
        }

        using (var r = await alice.GetAsync("/api/approvals"))
        {
            await r.ProblemAsync(HttpStatusCode.Forbidden, "'alice' does not hold the 'approver' role");
        }

        using (var r = await bob.GetAsync("/api/audit/verify"))
        {
            await r.ProblemAsync(HttpStatusCode.Forbidden, "'bob' does not hold the 'admin' role");
        }

        using (var r = await ops.PostAsJsonAsync("/api/conversations", new { }))
        {
            await r.ProblemAsync(HttpStatusCode.Forbidden, "'ops' does not hold the 'user' role");
        }

        var me = await bob.GetJsonAsync("/api/me");
        Assert.Equal("bob", me.GetProperty("name").GetString());
        Assert.Equal(["approver", "user"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(me.GetProperty("demoMode").GetBoolean());
        var admin = await ops.GetJsonAsync("/api/me");
        Assert.Equal(("ops", "admin"), (admin.GetProperty("name").GetString(), admin.GetProperty("roles").EnumerateArray().Single().GetString()));
        Assert.True((await ops.GetJsonAsync("/api/audit/verify")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task AnAdminOnlyKeyReadsAnyonesConversationButCannotSendInIt()
    {
        await using var api = await ApiServer.StartAsync(Keys);
        using var alice = api.ClientWithKey("alice-key-0123456789");
        using var bob = api.ClientWithKey("bob-key-01234567890");
        using var ops = api.ClientWithKey("ops-key-01234567890");
        var id = await alice.NewConversationAsync();
        await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });

        var read = await ops.GetJsonAsync($"/api/conversations/{id}");

        Assert.Equal("alice", read.GetProperty("createdBy").GetString());
        Assert.Equal(2, read.GetProperty("messages").GetArrayLength());
        using (var other = await bob.GetAsync($"/api/conversations/{id}"))
        {
            await other.ProblemAsync(HttpStatusCode.Forbidden, "belongs to another user");
        }

        using (var send = await ops.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "hello" }))
        {
            await send.ProblemAsync(HttpStatusCode.Forbidden, "'ops' does not hold the 'user' role");
        }

        using var create = await ops.PostAsJsonAsync("/api/conversations", new { });
        await create.ProblemAsync(HttpStatusCode.Forbidden, "'ops' does not hold the 'user' role");
    }

    [Fact]
    public async Task ThePrincipalOfTheKeyFlowsIntoEveryAuditEntryOfTheTurnAndItsApproval()
    {
        await using var api = await ApiServer.StartAsync(Keys);
        using var alice = api.ClientWithKey("alice-key-0123456789");
        using var bob = api.ClientWithKey("bob-key-01234567890");
        using var ops = api.ClientWithKey("ops-key-01234567890");
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, "I was charged twice on INV-1006, please refund it");
        var approvalId = (await stream.ReadUntilAsync("approval.pending"))!.Value.GetProperty("approvalId").GetString();
        await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "ok" });
        await stream.ReadUntilAsync("turn.completed");

        var audit = (await ops.GetJsonAsync($"/api/audit?conversationId={id}")).EnumerateArray().ToList();
        var toolEntries = audit.Where(e => e.GetProperty("kind").GetString()!.StartsWith("tool.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(toolEntries);
        Assert.All(toolEntries, e => Assert.Equal("alice", e.GetProperty("principal").GetString()));
        Assert.Contains(audit, e => e.GetProperty("kind").GetString() == "approval.resolved" && e.GetProperty("principal").GetString() == "bob");
    }

    [Fact]
    public async Task WithoutKeysTheApiRunsInDemoModeWhereXUserNamesTheCallerWithEveryRole()
    {
        await using var api = await ApiServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };
        using var dana = api.Client("dana");

        var me = await dana.GetJsonAsync("/api/me");
        var nobody = await anonymous.GetJsonAsync("/api/me");

        Assert.Equal("dana", me.GetProperty("name").GetString());
        Assert.Equal(["admin", "approver", "user"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(me.GetProperty("demoMode").GetBoolean());
        Assert.Equal("local-user", nobody.GetProperty("name").GetString());
    }

    [Fact]
    public async Task AKeyTooShortToBeASecretStopsTheApiFromStarting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Keys:0:Key"] = "short",
            ["Auth:Keys:0:Name"] = "alice",
            ["Auth:Keys:0:Roles:0"] = "superuser",
        }));

        Assert.Contains("Auth:Keys:0:Key must be at least 16 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("'superuser' is not a role", error.Message, StringComparison.Ordinal);
    }
}
