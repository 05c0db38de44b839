using System.Text.Json;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>/openapi/v1.json describes the contract docs/api.md states: the same routes, errors as problem details, identity on every call that needs a role.</summary>
public sealed class OpenApiDocumentTests(ContractDocument contract) : IClassFixture<ContractDocument>
{
    private const string ProblemDetails = "#/components/schemas/ProblemDetails";

    /// <summary>Health answers with its own report, 503 included, as every Aspire health endpoint does.</summary>
    private static readonly HashSet<string> HealthPaths = ["/health", "/alive"];

    [Fact]
    public void DocumentListsEveryRouteOfTheContract()
    {
        var documented = ContractDocument.DocumentedRoutes();
        Assert.True(documented.Count >= 15, $"Only {documented.Count} routes were read from {ContractDocument.DocsPath}; are they still written as `METHOD /path`?");

        var missing = documented.Except(contract.Operations).Order().ToList();

        Assert.True(missing.Count == 0, $"docs/api.md names routes /openapi/v1.json does not describe: {string.Join(", ", missing)}");
    }

    [Fact]
    public void ContractNamesEveryRouteOfTheDocument()
    {
        var undocumented = contract.Operations.Except(ContractDocument.DocumentedRoutes()).Order().ToList();

        Assert.True(undocumented.Count == 0, $"/openapi/v1.json describes routes docs/api.md does not name: {string.Join(", ", undocumented)}");
    }

    [Fact]
    public void EveryErrorResponseIsProblemDetails()
    {
        var errors = 0;
        foreach (var (method, path, operation) in Operations().Where(o => !HealthPaths.Contains(o.Path)))
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => int.Parse(r.Name) >= 400))
            {
                errors++;
                var where = $"{method} {path} {response.Name}";
                Assert.True(response.Value.TryGetProperty("content", out var content), $"{where} has no content.");
                Assert.Equal(["application/problem+json"], content.EnumerateObject().Select(c => c.Name));
                Assert.Equal(ProblemDetails, content.GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
            }
        }

        Assert.True(errors > 20, $"Only {errors} error responses are described.");
        Assert.True(contract.OpenApi.GetProperty("components").GetProperty("schemas").TryGetProperty("ProblemDetails", out _));
    }

    [Fact]
    public void EveryCallThatNeedsARoleDescribes401And403AndEveryWayToIdentify()
    {
        foreach (var (method, path, operation) in Operations().Where(o => !HealthPaths.Contains(o.Path)))
        {
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("401", out _), $"{method} {path} does not describe 401.");
            Assert.True(responses.TryGetProperty("403", out _), $"{method} {path} does not describe 403.");
            var schemes = operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).Order();
            Assert.Equal(["X-Api-Key", "X-User"], schemes);
        }

        var defined = contract.OpenApi.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("header", defined.GetProperty("X-Api-Key").GetProperty("in").GetString());
        Assert.Equal("header", defined.GetProperty("X-User").GetProperty("in").GetString());
        Assert.False(defined.TryGetProperty("Bearer", out _), "The Bearer scheme is declared though Auth:Jwt is not configured.");
    }

    [Fact]
    public async Task WithBearerTokensConfiguredEveryCallThatNeedsARoleAlsoTakesABearerToken()
    {
        await using var issuer = new TokenIssuer();
        await using var api = await ApiServer.StartAsync(issuer.Settings());
        using var anonymous = new HttpClient { BaseAddress = api.BaseAddress };
        using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/openapi/v1.json"));

        var me = document.RootElement.GetProperty("paths").GetProperty("/api/me").GetProperty("get");
        var schemes = me.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name)).Order();
        var bearer = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");

        Assert.Equal(["Bearer", "X-Api-Key", "X-User"], schemes);
        Assert.Equal(("http", "bearer", "JWT"), (bearer.GetProperty("type").GetString(), bearer.GetProperty("scheme").GetString(), bearer.GetProperty("bearerFormat").GetString()));
    }

    [Fact]
    public void EveryOperationHasASummaryATagAndA2xxAnswerWithItsShape()
    {
        foreach (var (method, path, operation) in Operations())
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary.");
            Assert.NotEmpty(operation.GetProperty("tags").EnumerateArray());
            var success = operation.GetProperty("responses").EnumerateObject().Single(r => r.Name.StartsWith('2'));
            Assert.True(success.Value.TryGetProperty("content", out var content) && content.EnumerateObject().Any(), $"{method} {path} {success.Name} has no content.");
        }
    }

    [Fact]
    public void SendingAMessageDescribesTheReplyAndTheEventStream()
    {
        var ok = contract.OpenApi.GetProperty("paths").GetProperty("/api/conversations/{id}/messages").GetProperty("post").GetProperty("responses").GetProperty("200").GetProperty("content");

        Assert.Equal("#/components/schemas/TurnReply", ok.GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        var streamed = ok.GetProperty("text/event-stream").GetProperty("schema");
        var properties = streamed.TryGetProperty("$ref", out _)
            ? contract.OpenApi.GetProperty("components").GetProperty("schemas").GetProperty("TurnEvent").GetProperty("properties")
            : streamed.GetProperty("properties");
        Assert.True(properties.TryGetProperty("seq", out _) && properties.TryGetProperty("type", out _), "The event stream's schema is not a turn event.");
    }

    [Theory]
    [InlineData("/api/conversations/{id}/messages", "post", "text")]
    [InlineData("/api/approvals/{id}/decision", "post", "approve")]
    [InlineData("/api/governance/kill-switch", "put", "engaged")]
    [InlineData("/api/governance/tools/approve", "post", "tool")]
    public void EveryCallThatReadsABodyDescribesItsJsonShape(string path, string method, string property)
    {
        var body = contract.OpenApi.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("requestBody");

        Assert.True(body.GetProperty("required").GetBoolean(), $"{method} {path}: the body is not marked required.");
        var schema = body.GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var properties = schema.TryGetProperty("$ref", out var reference)
            ? contract.OpenApi.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]).GetProperty("properties")
            : schema.GetProperty("properties");
        Assert.True(properties.TryGetProperty(property, out _), $"{method} {path}: the body's schema has no '{property}'.");
    }

    private IEnumerable<(string Method, string Path, JsonElement Operation)> Operations() =>
        contract.OpenApi.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (op.Name.ToUpperInvariant(), path.Name, op.Value)));
}
