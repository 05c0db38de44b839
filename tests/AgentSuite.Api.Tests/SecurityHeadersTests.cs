using System.Net;
using AgentSuite.Api.Tests.Support;
using Microsoft.Extensions.Hosting;

namespace AgentSuite.Api.Tests;

/// <summary>
/// Every response carries the content security policy, nosniff and no-referrer, whatever served it (static files, the
/// Api, health, errors); nothing under /api may be stored by a cache, the turn's event stream included.
/// </summary>
public sealed class SecurityHeadersTests
{
    private const string Policy = "default-src 'self'; frame-ancestors 'none'; object-src 'none'";

    [Fact]
    public async Task EveryResponseCarriesThePolicyAndApiResponsesAreNotStored()
    {
        await using var api = await ApiServer.StartAsync();
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        string[] paths = ["/", "/js/app.js", "/css/app.css", "/health", "/alive", "/openapi/v1.json", "/no-such-file", "/api/me", $"/api/conversations/{id}", "/api/conversations/conv_nope", "/api/no-such-route"];
        foreach (var path in paths)
        {
            using var response = await alice.GetAsync(path);
            AssertSecure(response, path);
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                Assert.True(response.Headers.CacheControl?.NoStore, $"{path}: Cache-Control {response.Headers.CacheControl}");
            }
        }

        await using var stream = await EventStream.SendAsync(alice, id, "I was charged twice on INV-1002, please refund it");
        AssertSecure(stream.Response, "the event stream");
        Assert.True(stream.Response.Headers.CacheControl?.NoStore, $"the event stream: Cache-Control {stream.Response.Headers.CacheControl}");
        await stream.ReadUntilAsync("turn.completed");
    }

    [Fact]
    public async Task ARefusalAndABodyOfTheWrongTypeCarryTheHeadersToo()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Keys:0:Key"] = "user-key-0123456789",
            ["Auth:Keys:0:Name"] = "una",
            ["Auth:Keys:0:Roles:0"] = "user",
        });
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };
        using var una = api.ClientWithKey("user-key-0123456789");

        using var refused = await anonymous.GetAsync("/api/me");
        using var forbidden = await una.GetAsync("/api/audit");
        using var form = await una.PostAsync("/api/conversations", new FormUrlEncodedContent([new("text", "hi")]));

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.UnsupportedMediaType), (refused.StatusCode, forbidden.StatusCode, form.StatusCode));
        foreach (var response in new[] { refused, forbidden, form })
        {
            AssertSecure(response, response.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.True(response.Headers.CacheControl?.NoStore);
        }
    }

    [Fact]
    public async Task TheDevelopmentReferenceHasItsOwnPolicyAndEverythingElseKeepsTheStrictOne()
    {
        await using var api = await ApiServer.StartAsync(environment: Environments.Development);
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };

        using var reference = await anonymous.GetAsync("/scalar/");
        using var page = await anonymous.GetAsync("/");

        var policy = string.Join("; ", reference.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' 'unsafe-inline'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Equal(Policy, Assert.Single(page.Headers.GetValues("Content-Security-Policy")));
    }

    private static void AssertSecure(HttpResponseMessage response, string at)
    {
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{at}: no Content-Security-Policy");
        Assert.Equal(Policy, Assert.Single(csp));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
    }
}
