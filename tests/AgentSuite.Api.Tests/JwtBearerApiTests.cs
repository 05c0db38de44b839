using System.Net;
using System.Net.Sockets;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>
/// Bearer tokens (<c>Auth:Jwt</c>) from an identity provider the test runs on loopback: discovery and JWKS fetched for
/// real, roles mapped from the provider's values, refusals as problem details that say why.
/// </summary>
public sealed class JwtBearerApiTests
{
    private static readonly Dictionary<string, string?> DeskRoles = new()
    {
        ["Auth:Jwt:Roles:user"] = "Desk.User",
        ["Auth:Jwt:Roles:approver"] = "Desk.Approver",
        ["Auth:Jwt:Roles:admin"] = "Desk.Admin",
    };

    [Fact]
    public async Task AUserTokenChatsAndTheAuditRecordsTheTokensNameWithItsSubject()
    {
        await using var issuer = await TokenIssuer.ServeAsync();
        await using var api = await ApiServer.StartAsync(issuer.Settings(DeskRoles));
        using var alice = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-alice", "Alice Smith", ["Desk.User"]));
        using var ops = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-ops", "Ops", ["Desk.Admin"]));

        var me = await alice.GetJsonAsync("/api/me");
        var id = await alice.NewConversationAsync();
        var turn = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });

        Assert.Equal("Alice Smith (sub-alice)", me.GetProperty("name").GetString());
        Assert.Equal(["user"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.False(me.GetProperty("demoMode").GetBoolean());
        Assert.Contains("INV-1002", turn.GetProperty("reply").GetString(), StringComparison.Ordinal);
        var audit = (await ops.GetJsonAsync($"/api/audit?conversationId={id}")).EnumerateArray().ToList();
        var toolEntries = audit.Where(e => e.GetProperty("kind").GetString()!.StartsWith("tool.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(toolEntries);
        Assert.All(toolEntries, e => Assert.Equal("Alice Smith (sub-alice)", e.GetProperty("principal").GetString()));
    }

    [Fact]
    public async Task AMappedApproverTokenDecidesAnApprovalAndAUserTokenGets403NamingTheAdminRole()
    {
        await using var issuer = await TokenIssuer.ServeAsync();
        await using var api = await ApiServer.StartAsync(issuer.Settings(DeskRoles));
        using var alice = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-alice", "Alice", ["Desk.User"]));
        using var bob = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-bob", "Bob", ["Desk.User", "Desk.Approver"]));
        using var ops = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-ops", "Ops", ["Desk.Admin"]));
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, "I was charged twice on INV-1006, please refund it");
        var approvalId = (await stream.ReadUntilAsync("approval.pending"))!.Value.GetProperty("approvalId").GetString();
        var decided = await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true, comment = "ok" });
        await stream.ReadUntilAsync("turn.completed");

        Assert.Equal("Bob (sub-bob)", decided.GetProperty("decidedBy").GetString());
        using (var r = await alice.GetAsync("/api/audit/verify"))
        {
            await r.ProblemAsync(HttpStatusCode.Forbidden, "'Alice (sub-alice)' does not hold the 'admin' role this call needs.");
        }

        using (var r = await alice.GetAsync("/api/approvals"))
        {
            await r.ProblemAsync(HttpStatusCode.Forbidden, "'Alice (sub-alice)' does not hold the 'approver' role");
        }

        var audit = (await ops.GetJsonAsync($"/api/audit?conversationId={id}")).EnumerateArray().ToList();
        Assert.Contains(audit, e => e.GetProperty("kind").GetString() == "approval.resolved" && e.GetProperty("principal").GetString() == "Bob (sub-bob)");
    }

    [Fact]
    public async Task ExpiredForeignForgedOrRoleLessTokensAre401ProblemsThatSayWhy()
    {
        await using var issuer = await TokenIssuer.ServeAsync();
        await using var api = await ApiServer.StartAsync(issuer.Settings(DeskRoles));
        using var forger = RSA.Create(2048);

        await AssertRefusedAsync(api, issuer.Token("sub-alice", "Alice", ["Desk.User"], expires: DateTime.UtcNow.AddHours(-1)), "The bearer token expired at");
        await AssertRefusedAsync(api, issuer.Token("sub-alice", "Alice", ["Desk.User"], audience: "api://another-app"), $"The bearer token is for audience 'api://another-app', not this Api ({TokenIssuer.Audience})");
        await AssertRefusedAsync(api, issuer.Token("sub-alice", "Alice", ["Desk.User"], issuer: "https://elsewhere.example"), "The bearer token was issued by 'https://elsewhere.example', not by the issuer this Api trusts");
        await AssertRefusedAsync(api, issuer.Token("sub-alice", "Alice", ["Desk.User"], signedBy: forger), "The bearer token's signature does not verify");
        await AssertRefusedAsync(api, issuer.Token("sub-alice", "Alice", ["user"]), "The bearer token of 'Alice (sub-alice)' grants no AgentSuite role: its 'roles' claim holds user");
        await AssertRefusedAsync(api, "not.a-token", "not a well-formed JWT");

        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };
        using var missing = await anonymous.GetAsync("/api/me");
        await missing.ProblemAsync(HttpStatusCode.Unauthorized, "Send a bearer token in the Authorization header");
    }

    [Fact]
    public async Task SelfApprovalIsRefusedBySubjectWhateverNameTheTokenCarries()
    {
        await using var issuer = await TokenIssuer.ServeAsync();
        await using var api = await ApiServer.StartAsync(issuer.Settings());
        using var alice = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-alice", "Alice", ["user", "approver"]));
        using var renamed = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-alice", "Alice Married-Name", ["user", "approver"]));
        using var namesake = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-other-alice", "Alice", ["user", "approver"]));
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, "I was charged twice on INV-1006, please refund it");
        var approvalId = (await stream.ReadUntilAsync("approval.pending"))!.Value.GetProperty("approvalId").GetString();
        foreach (var self in new[] { alice, renamed })
        {
            using var refused = await self.PostAsJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true });
            await refused.ProblemAsync(HttpStatusCode.Forbidden, "asked for this call and cannot also approve it");
        }

        var decided = await namesake.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true });
        await stream.ReadUntilAsync("turn.completed");

        Assert.Equal("Alice (sub-other-alice)", decided.GetProperty("decidedBy").GetString());
        Assert.Equal("Alice (sub-alice)", decided.GetProperty("requestedBy").GetString());
    }

    [Fact]
    public async Task ARenamedTokenHolderKeepsTheirConversationsAndANamesakeWithAnotherSubjectGetsNone()
    {
        await using var issuer = await TokenIssuer.ServeAsync();
        await using var api = await ApiServer.StartAsync(issuer.Settings());
        using var alice = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-alice", "Alice", ["user"]));
        using var renamed = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-alice", "Alice Married-Name", ["user"]));
        using var namesake = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-other-alice", "Alice Married-Name", ["user"]));
        using var bob = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-bob", "Bob", ["approver"]));
        var id = await alice.NewConversationAsync();

        // Renamed while their refund waits for approval: they still follow the turn, and read, list and use the conversation.
        await using (var stream = await EventStream.SendAsync(alice, id, "I was charged twice on INV-1006, please refund it"))
        {
            var approvalId = (await stream.ReadUntilAsync("approval.pending"))!.Value.GetProperty("approvalId").GetString();
            var waiting = await renamed.GetJsonAsync($"/api/conversations/{id}/turns/current/events");
            Assert.Equal("waiting", waiting.GetProperty("status").GetString());
            await AssertNotTheirsAsync(namesake.GetAsync($"/api/conversations/{id}/turns/current/events"));
            await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve = true });
            await stream.ReadUntilAsync("turn.completed");
        }

        var turn = await renamed.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" });
        var read = await renamed.GetJsonAsync($"/api/conversations/{id}");
        var list = await renamed.GetJsonAsync("/api/conversations");
        var namesakeList = await namesake.GetJsonAsync("/api/conversations");

        Assert.Contains("INV-1002", turn.GetProperty("reply").GetString(), StringComparison.Ordinal);
        Assert.Equal("Alice (sub-alice)", read.GetProperty("createdBy").GetString());
        Assert.Equal(4, read.GetProperty("messages").GetArrayLength());
        Assert.Equal([id], list.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Empty(namesakeList.GetProperty("items").EnumerateArray());
        await AssertNotTheirsAsync(namesake.GetAsync($"/api/conversations/{id}"));
        await AssertNotTheirsAsync(namesake.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "refund it to me instead" }));
    }

    [Fact]
    public async Task ApiKeysKeepWorkingBesideBearerTokensAndEachRequestUsesWhatItSends()
    {
        await using var issuer = await TokenIssuer.ServeAsync();
        await using var api = await ApiServer.StartAsync(issuer.Settings(DeskKeys.Settings()));
        using var byKey = api.ClientWithKey(DeskKeys.Bob);
        using var byToken = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-carol", "Carol", ["user"]));
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };

        Assert.Equal("bob", (await byKey.GetJsonAsync("/api/me")).GetProperty("name").GetString());
        Assert.Equal("Carol (sub-carol)", (await byToken.GetJsonAsync("/api/me")).GetProperty("name").GetString());
        using var missing = await anonymous.PostAsJsonAsync("/api/conversations", new { });
        await missing.ProblemAsync(HttpStatusCode.Unauthorized, "Send a bearer token (Authorization: Bearer <token>) or your API key in the X-Api-Key header.");
        using var wrongKey = api.ClientWithKey("not-a-key-at-all-123");
        using var wrong = await wrongKey.GetAsync("/api/me");
        await wrong.ProblemAsync(HttpStatusCode.Unauthorized, "does not match any configured key");
    }

    [Fact]
    public async Task WithBearerTokensConfiguredAndNoKeysXUserIsNotTrusted()
    {
        await using var issuer = await TokenIssuer.ServeAsync();
        await using var api = await ApiServer.StartAsync(issuer.Settings());
        using var claimsToBeAlice = api.Client("alice");

        using var read = await claimsToBeAlice.GetAsync("/api/me");
        using var write = await claimsToBeAlice.PostAsJsonAsync("/api/conversations", new { });
        using var byKey = api.ClientWithKey("alice-key-0123456789");
        using var key = await byKey.GetAsync("/api/me");

        await read.ProblemAsync(HttpStatusCode.Unauthorized, "Send a bearer token in the Authorization header");
        await write.ProblemAsync(HttpStatusCode.Unauthorized, "Send a bearer token in the Authorization header");
        await key.ProblemAsync(HttpStatusCode.Unauthorized, "This Api accepts no API keys; send a bearer token instead");
    }

    [Fact]
    public async Task AnIssuerAndItsPublicKeyValidateTokensWithoutADiscoveryDocument()
    {
        await using var issuer = new TokenIssuer();
        await using var api = await ApiServer.StartAsync(issuer.Settings());
        using var dana = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-dana", null, ["user", "admin"]));
        using var forged = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-dana", null, ["admin"], issuer: "https://issuer.elsewhere.test"));

        var me = await dana.GetJsonAsync("/api/me");
        using var refused = await forged.GetAsync("/api/me");

        Assert.Equal("sub-dana", me.GetProperty("name").GetString());
        Assert.Equal(["admin", "user"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True((await dana.GetJsonAsync("/api/audit/verify")).GetProperty("ok").GetBoolean());
        await refused.ProblemAsync(HttpStatusCode.Unauthorized, "not by the issuer this Api trusts ('https://issuer.agentsuite.test')");
    }

    [Fact]
    public async Task AnUnreachableIdentityProviderIsA503ThatSaysSoNotA500()
    {
        await using var issuer = new TokenIssuer();
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Jwt:Authority"] = $"http://127.0.0.1:{port}",
            ["Auth:Jwt:RequireHttpsMetadata"] = "false",
            ["Auth:Jwt:Audience"] = TokenIssuer.Audience,
        });
        using var alice = TokenIssuer.Client(api.BaseAddress, issuer.Token("sub-alice", "Alice", ["user"]));

        using var response = await alice.GetAsync("/api/me");

        await response.ProblemAsync(HttpStatusCode.ServiceUnavailable, $"The Api could not read the identity provider's signing keys from http://127.0.0.1:{port}");
    }

    [Fact]
    public async Task BearerSettingsThatCouldNotWorkStopTheApiFromStartingAndSayWhich()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Jwt:Authority"] = "http://login.example.test/tenant/v2.0",
            ["Auth:Jwt:Roles:superuser"] = "Desk.Root",
        }));
        var keyless = await Assert.ThrowsAnyAsync<Exception>(() => ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Jwt:Issuer"] = "https://issuer.example.test",
            ["Auth:Jwt:Audience"] = TokenIssuer.Audience,
            ["Auth:Jwt:SigningKeys:0"] = "-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----",
        }));
        var remoteHttp = await Assert.ThrowsAnyAsync<Exception>(() => ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Jwt:Authority"] = "http://idp.example.test/realms/desk",
            ["Auth:Jwt:RequireHttpsMetadata"] = "false",
            ["Auth:Jwt:Audience"] = TokenIssuer.Audience,
        }));

        Assert.Contains("Auth:Jwt:Authority 'http://login.example.test/tenant/v2.0' is not HTTPS", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Jwt:Audience is empty", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Jwt:Roles:superuser: 'superuser' is not an AgentSuite role", error.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Jwt:SigningKeys:0 is not an RSA or EC public key in PEM", keyless.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Jwt:Authority 'http://idp.example.test/realms/desk' is plain HTTP to 'idp.example.test', which is not loopback", remoteHttp.Message, StringComparison.Ordinal);
        Assert.Contains("Auth:Jwt:RequireHttpsMetadata=false allows HTTP only for a provider on this machine", remoteHttp.Message, StringComparison.Ordinal);
    }

    private static async Task AssertNotTheirsAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        await response.ProblemAsync(HttpStatusCode.Forbidden, "belongs to another user");
    }

    private static async Task AssertRefusedAsync(ApiServer api, string token, string reason)
    {
        using var client = TokenIssuer.Client(api.BaseAddress, token);
        using var response = await client.GetAsync("/api/me");
        await response.ProblemAsync(HttpStatusCode.Unauthorized, reason);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
