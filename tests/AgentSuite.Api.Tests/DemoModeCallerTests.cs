using System.Net;
using System.Net.Http.Json;
using System.Text;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>
/// In local demo mode (no API keys) every change names its caller with X-User: a POST, PUT or DELETE without it is
/// 401 with problem details that say to send it. A browser on another website cannot add that header without a CORS
/// preflight, which the Api never grants, so it cannot act as anyone. A read without X-User is local-user's.
/// </summary>
public sealed class DemoModeCallerTests
{
    [Fact]
    public async Task AChangeWithoutXUserIs401SayingToSendItAndChangesNothing()
    {
        await using var api = await ApiServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        using (var create = await anonymous.PostAsJsonAsync("/api/conversations", new { }))
        {
            await create.ProblemAsync(HttpStatusCode.Unauthorized, "send the X-User header");
        }

        using (var send = await anonymous.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "I was charged twice on INV-1002, please refund it" }))
        {
            await send.ProblemAsync(HttpStatusCode.Unauthorized, "send the X-User header");
        }

        using (var engage = await anonymous.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "global", engaged = true }))
        {
            await engage.ProblemAsync(HttpStatusCode.Unauthorized, "every PUT names its caller");
        }

        using (var decide = await anonymous.PostAsJsonAsync("/api/approvals/apr_nope/decision", new { approve = true }))
        {
            await decide.ProblemAsync(HttpStatusCode.Unauthorized, "send the X-User header");
        }

        using (var blank = new HttpRequestMessage(HttpMethod.Post, "/api/conversations") { Content = JsonContent.Create(new { }) })
        {
            blank.Headers.Add("X-User", "   ");
            using var response = await anonymous.SendAsync(blank);
            await response.ProblemAsync(HttpStatusCode.Unauthorized, "send the X-User header");
        }

        Assert.Empty((await alice.GetJsonAsync($"/api/conversations/{id}")).GetProperty("messages").EnumerateArray());
        Assert.Empty((await anonymous.GetJsonAsync("/api/governance/kill-switch")).GetProperty("engaged").EnumerateArray());
        Assert.Equal("local-user", (await anonymous.GetJsonAsync("/api/me")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task ACrossSiteTextPostWithoutHeadersIsRefused()
    {
        await using var api = await ApiServer.StartAsync();
        using var browser = new HttpClient { BaseAddress = api.BaseAddress };
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        // What a page on another origin can send without a preflight: a POST with a text/plain body and no custom header.
        using var text = new HttpRequestMessage(HttpMethod.Post, $"/api/conversations/{id}/messages")
        {
            Content = new StringContent("""{"text":"I was charged twice on INV-1002, please refund it"}""", Encoding.UTF8, "text/plain"),
        };
        text.Headers.Add("Origin", "https://elsewhere.example");
        using var refused = await browser.SendAsync(text);

        await refused.ProblemAsync(HttpStatusCode.Unauthorized, "send the X-User header");
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Empty((await alice.GetJsonAsync($"/api/conversations/{id}")).GetProperty("messages").EnumerateArray());
    }
}
