using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentSuite.Api.Tests.Support;

/// <summary>
/// The Api's OpenAPI document, fetched once from the real Api with API keys configured and no key presented (the
/// contract needs no identity), and the routes docs/api.md names (<c>`GET /api/me`</c>, ...).
/// </summary>
public sealed class ContractDocument : IAsyncLifetime
{
    private static readonly Regex DocumentedRoute = new(@"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s?]*)[^`]*`", RegexOptions.CultureInvariant);

    private JsonDocument? _openApi;

    public JsonElement OpenApi => _openApi?.RootElement ?? throw new InvalidOperationException("Not fetched.");

    /// <summary>Every (method, path) of the document's paths.</summary>
    public IReadOnlySet<(string Method, string Path)> Operations =>
        OpenApi.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (op.Name.ToUpperInvariant(), path.Name)))
            .ToHashSet();

    public static string DocsPath { get; } = Path.Combine(ApiServer.RepositoryRoot, "docs", "api.md");

    /// <summary>Every route docs/api.md names, method and path, without the query string.</summary>
    public static IReadOnlySet<(string Method, string Path)> DocumentedRoutes() =>
        DocumentedRoute.Matches(File.ReadAllText(DocsPath)).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToHashSet();

    public async Task InitializeAsync()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:Keys:0:Key"] = "ops-key-01234567890",
            ["Auth:Keys:0:Name"] = "ops",
            ["Auth:Keys:0:Roles:0"] = "admin",
        });
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };
        using var response = await anonymous.GetAsync("/openapi/v1.json");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET /openapi/v1.json answered {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        _openApi = JsonDocument.Parse(body);
    }

    public Task DisposeAsync()
    {
        _openApi?.Dispose();
        return Task.CompletedTask;
    }
}
