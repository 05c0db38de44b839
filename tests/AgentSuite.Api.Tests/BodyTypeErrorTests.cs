using System.Net;
using System.Text;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>
/// A JSON body with a field of the wrong type names the field by its JSON path and the JSON type the call expects,
/// for every call that reads a body; no .NET type name reaches the caller.
/// </summary>
public sealed class BodyTypeErrorTests
{
    [Fact]
    public async Task AFieldOfTheWrongTypeIsNamedWithTheTypeItMustHave()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        (HttpMethod Method, string Path, string Json, string Detail)[] cases =
        [
            (HttpMethod.Post, $"/api/conversations/{id}/messages", """{"text": 5}""", "The field $.text must be a string, not a number."),
            (HttpMethod.Post, $"/api/conversations/{id}/messages", """{"text": {"words": "hi"}}""", "The field $.text must be a string, not an object."),
            (HttpMethod.Post, $"/api/conversations/{id}/messages", "\"refund INV-1002\"", "The body must be an object, not a string."),
            (HttpMethod.Post, $"/api/conversations/{id}/messages", "[1, 2]", "The body must be an object, not an array."),
            (HttpMethod.Post, "/api/approvals/apr_nope/decision", """{"approve": "yes"}""", "The field $.approve must be true or false, not a string."),
            (HttpMethod.Put, "/api/governance/kill-switch", """{"scope": ["global"], "engaged": true}""", "The field $.scope must be a string, not an array."),
            (HttpMethod.Put, "/api/governance/kill-switch", """{"scope": "global", "engaged": 1}""", "The field $.engaged must be true or false, not a number."),
            (HttpMethod.Post, "/api/governance/tools/approve", """{"tool": "billing/issue_refund", "definitionHash": false}""", "The field $.definitionHash must be a string, not true or false."),
        ];
        foreach (var (method, path, json, detail) in cases)
        {
            using var response = await alice.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
            var text = await response.ProblemAsync(HttpStatusCode.BadRequest, detail);
            Assert.DoesNotContain("AgentSuite.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
            Assert.Contains("Send {", text, StringComparison.Ordinal);
        }

        Assert.Empty((await alice.GetJsonAsync($"/api/conversations/{id}")).GetProperty("messages").EnumerateArray());
    }
}
