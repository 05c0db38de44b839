using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>
/// The calls that take a JSON body read it whatever its Content-Type says (curl -d sends
/// application/x-www-form-urlencoded): the handler answers, with its own problem details when the body is wrong, never
/// a bare 415 from routing.
/// </summary>
public sealed class RequestContentTypeTests
{
    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("text/plain")]
    [InlineData(null)]
    public async Task AJsonBodySentWithoutAJsonContentTypeReachesTheHandler(string? contentType)
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        using (var turn = await alice.PostAsync($"/api/conversations/{id}/messages", Body("""{"text":"I was charged twice on INV-1002, please refund it"}""", contentType)))
        {
            Assert.StartsWith("Refunded 49.00 USD", (await turn.JsonAsync(HttpStatusCode.OK)).GetProperty("reply").GetString(), StringComparison.Ordinal);
        }

        using (var put = await alice.PutAsync("/api/governance/kill-switch", Body("""{"scope":"agent:crm","engaged":true}""", contentType)))
        {
            var engaged = await put.JsonAsync(HttpStatusCode.OK);
            Assert.Equal(["agent:crm"], engaged.GetProperty("engaged").EnumerateArray().Select(s => s.GetProperty("scope").GetString()));
        }

        using (var decision = await alice.PostAsync("/api/approvals/no-such-request/decision", Body("""{"approve":true}""", contentType)))
        {
            await decision.ProblemAsync(HttpStatusCode.NotFound, "No approval request 'no-such-request' exists.");
        }

        using (var approve = await alice.PostAsync("/api/governance/tools/approve", Body("""{"tool":"billing/no_such_tool"}""", contentType)))
        {
            await approve.ProblemAsync(HttpStatusCode.NotFound, "No tool 'billing/no_such_tool' has been seen yet");
        }
    }

    [Fact]
    public async Task AFormBodyGetsTheHandlersProblemNotA415()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        using var turn = await alice.PostAsync($"/api/conversations/{id}/messages", Body("text=hello", "application/x-www-form-urlencoded"));

        await turn.ProblemAsync(HttpStatusCode.BadRequest, "The body is not valid JSON for this call");
    }

    /// <summary>The bytes of <paramref name="json"/> with the given Content-Type, or none at all.</summary>
    private static ByteArrayContent Body(string json, string? contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        if (contentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        }

        return content;
    }
}
