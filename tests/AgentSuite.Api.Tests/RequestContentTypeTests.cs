using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>
/// A body must be sent as JSON (Content-Type: application/json): anything else is refused with 415 and problem
/// details before a handler reads it, so a form or text/plain POST from another website, which a browser sends
/// without asking, changes nothing. A request without a body needs no Content-Type.
/// </summary>
public sealed class RequestContentTypeTests
{
    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData(null)]
    public async Task ABodyThatIsNotSentAsJsonIs415AndChangesNothing(string? contentType)
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        (HttpMethod Method, string Path, string Json)[] calls =
        [
            (HttpMethod.Post, "/api/conversations", "{}"),
            (HttpMethod.Post, $"/api/conversations/{id}/messages", """{"text":"I was charged twice on INV-1002, please refund it"}"""),
            (HttpMethod.Put, "/api/governance/kill-switch", """{"scope":"global","engaged":true}"""),
            (HttpMethod.Post, "/api/approvals/apr_nope/decision", """{"approve":true}"""),
            (HttpMethod.Post, "/api/governance/tools/approve", """{"tool":"billing/issue_refund"}"""),
        ];
        foreach (var (method, path, json) in calls)
        {
            using var response = await alice.SendAsync(new HttpRequestMessage(method, path) { Content = Body(json, contentType) });
            var detail = await response.ProblemAsync(HttpStatusCode.UnsupportedMediaType, "Send it with Content-Type: application/json");
            Assert.Contains(contentType is null ? "no Content-Type" : $"Content-Type '{contentType}'", detail, StringComparison.Ordinal);
        }

        Assert.Empty((await alice.GetJsonAsync($"/api/conversations/{id}")).GetProperty("messages").EnumerateArray());
        Assert.Empty((await alice.GetJsonAsync("/api/governance/kill-switch")).GetProperty("engaged").EnumerateArray());
    }

    [Fact]
    public async Task JsonWithACharsetOrAJsonSuffixIsReadAndAPostWithoutABodyNeedsNoContentType()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");

        using (var bare = await alice.PostAsync("/api/conversations", content: null))
        {
            Assert.Equal(HttpStatusCode.Created, bare.StatusCode);
        }

        var id = await alice.NewConversationAsync();
        using (var turn = await alice.PostAsync($"/api/conversations/{id}/messages", Body("""{"text":"I was charged twice on INV-1002, please refund it"}""", "application/json; charset=utf-8")))
        {
            Assert.StartsWith("Refunded 49.00 USD", (await turn.JsonAsync(HttpStatusCode.OK)).GetProperty("reply").GetString(), StringComparison.Ordinal);
        }

        using var put = await alice.PutAsync("/api/governance/kill-switch", Body("""{"scope":"server:crm","engaged":true}""", "application/merge-patch+json"));
        var engaged = await put.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["server:crm"], engaged.GetProperty("engaged").EnumerateArray().Select(s => s.GetProperty("scope").GetString()));
    }

    [Fact]
    public async Task AJsonBodyThatIsNotJsonIsTheHandlersProblem()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        using var turn = await alice.PostAsync($"/api/conversations/{id}/messages", Body("text=hello", "application/json"));

        await turn.ProblemAsync(HttpStatusCode.BadRequest, "The body is not valid JSON");
    }

    /// <summary>The bytes of <paramref name="json"/> with the given Content-Type, or none at all.</summary>
    private static ByteArrayContent Body(string json, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }
}
