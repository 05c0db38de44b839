using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Auth;
using AgentSuite.Api.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Api.Tests;

/// <summary>
/// With API keys configured, every route that needs a role refuses a missing key with 401 and a key without the role
/// with 403, as problem details JSON whatever the request's Accept says: an event-stream client or a browser whose key
/// expired gets the refusal, not an empty 500. The routes are read from the running Api, so a new one is covered too.
/// </summary>
public sealed class RefusalTests
{
    private static readonly Dictionary<string, string?> Keys = new()
    {
        ["Auth:Keys:0:Key"] = "user-key-0123456789",
        ["Auth:Keys:0:Name"] = "una",
        ["Auth:Keys:0:Roles:0"] = "user",
        ["Auth:Keys:1:Key"] = "approver-key-012345",
        ["Auth:Keys:1:Name"] = "abe",
        ["Auth:Keys:1:Roles:0"] = "approver",
        ["Auth:Keys:2:Key"] = "admin-key-01234567",
        ["Auth:Keys:2:Name"] = "ada",
        ["Auth:Keys:2:Roles:0"] = "admin",
    };

    private static readonly (string Key, string Role)[] OneRoleKeys =
    [
        ("user-key-0123456789", "user"),
        ("approver-key-012345", "approver"),
        ("admin-key-01234567", "admin"),
    ];

    private static readonly HashSet<string> EveryRole =
        ["GET /api/me", "GET /api/conversations/{id}", "GET /api/conversations/{id}/turns/current/events"];

    private static readonly string?[] Accepts = ["text/event-stream", "text/html", "*/*", "application/json", null];

    [Fact]
    public async Task EveryRouteRefusesAMissingKeyWith401AndAMissingRoleWith403AsProblemDetailsWhateverTheAccept()
    {
        await using var api = await ApiServer.StartAsync(Keys);
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };
        var routes = GuardedRoutes(api);
        Assert.Superset(
            new HashSet<string>
            {
                "GET /api/me", "POST /api/conversations", "GET /api/conversations/{id}", "POST /api/conversations/{id}/messages",
                "GET /api/approvals", "GET /api/approvals/{id}", "POST /api/approvals/{id}/decision", "GET /api/audit", "GET /api/audit/verify",
                "GET /api/governance/kill-switch", "PUT /api/governance/kill-switch", "GET /api/governance/tools", "POST /api/governance/tools/approve",
            },
            routes.Select(r => $"{r.Method} {r.Pattern}").ToHashSet());

        foreach (var (method, pattern, roles) in routes)
        {
            var path = pattern.Replace("{id}", "conv_nope", StringComparison.Ordinal);
            // Who-am-I admits every role, and so do a conversation's reads (owner, admin, or an approver deciding a call
            // in it; the handler checks which); every other route has a key whose role it refuses.
            var wrongKey = OneRoleKeys.FirstOrDefault(k => !roles.Contains(k.Role)).Key;
            Assert.True(wrongKey is not null || EveryRole.Contains($"{method} {pattern}"), $"{method} {pattern} admits every role");
            foreach (var accept in Accepts)
            {
                var at = $"{method} {path} with Accept {accept ?? "(none)"}";
                using (var missing = await SendAsync(anonymous, method, path, accept, apiKey: null))
                {
                    await AssertProblemAsync(missing, HttpStatusCode.Unauthorized, "Send your API key in the X-Api-Key header.", at);
                }

                using (var wrong = await SendAsync(anonymous, method, path, accept, "not-a-key-of-this-api"))
                {
                    await AssertProblemAsync(wrong, HttpStatusCode.Unauthorized, "does not match any configured key", at);
                }

                if (wrongKey is not null)
                {
                    using var forbidden = await SendAsync(anonymous, method, path, accept, wrongKey);
                    await AssertProblemAsync(forbidden, HttpStatusCode.Forbidden, $"does not hold the '{string.Join("' or '", roles)}' role", at);
                }
            }
        }
    }

    [Theory]
    [InlineData("text/event-stream")]
    [InlineData("text/html")]
    [InlineData("*/*")]
    public async Task AnUnknownPathAndAWrongMethodAreProblemDetailsWhateverTheAccept(string accept)
    {
        await using var api = await ApiServer.StartAsync(Keys);
        using var client = api.ClientWithKey("admin-key-01234567");

        using (var unknown = await SendAsync(client, "GET", "/api/no-such-route", accept, apiKey: null))
        {
            await AssertProblemAsync(unknown, HttpStatusCode.NotFound, detail: null, accept);
        }

        using var wrongMethod = await SendAsync(client, "DELETE", "/api/audit/verify", accept, apiKey: null);
        await AssertProblemAsync(wrongMethod, HttpStatusCode.MethodNotAllowed, detail: null, accept);
    }

    [Theory]
    [InlineData("text/event-stream")]
    [InlineData("text/html")]
    [InlineData("*/*")]
    public async Task AnUnexpectedErrorIsA500WithProblemDetailsWhateverTheAccept(string accept)
    {
        // A path that throws, behind the Api's own pipeline, stands for a fault in any handler.
        await using var api = await ApiServer.StartAsync(configure: builder => builder.Services.AddSingleton<IStartupFilter>(new ThrowingPath("/test/fault")));
        using var client = api.Client("alice");

        using var fault = await SendAsync(client, "GET", "/test/fault", accept, apiKey: null);

        await AssertProblemAsync(fault, HttpStatusCode.InternalServerError, detail: null, accept);
    }

    /// <summary>Every route of the running Api that needs a role, with the roles of its narrowest requirement.</summary>
    private static List<(string Method, string Pattern, IReadOnlyList<string> Roles)> GuardedRoutes(ApiServer api) =>
        api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<RequiresRoleMetadata>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (m, "/" + e.RoutePattern.RawText!.Trim('/'), e.Metadata.GetMetadata<RequiresRoleMetadata>()!.Roles)))
            .ToList();

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, string path, string? accept, string? apiKey)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            request.Content = JsonContent.Create(new { });
        }

        if (accept is not null)
        {
            request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse(accept));
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await client.SendAsync(request);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string? detail, string at)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{at}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{at}: Content-Type {response.Content.Headers.ContentType}");
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()), at);
        if (detail is not null)
        {
            Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    private sealed class ThrowingPath(string path) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((http, rest) => http.Request.Path == path ? throw new InvalidOperationException("A fault for the test.") : rest(http));
        };
    }
}
