using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace AgentSuite.Api.Documentation;

/// <summary>
/// Describes <c>/health</c> and <c>/alive</c>. The service defaults map them as health-check endpoints, which carry no
/// handler method for the OpenAPI generator to read, so the document would otherwise leave them out.
/// </summary>
internal sealed class HealthPathsTransformer : IOpenApiDocumentTransformer
{
    private const string Tag = "Health";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = Tag, Description = "Readiness and liveness; no identity needed." });
        document.Paths ??= [];
        document.Paths[Extensions.HealthEndpointPath] = Path(
            document,
            "Readiness: the audit store and each MCP server",
            "Healthy or Degraded (an MCP server is missing) answers 200, Unhealthy (the audit store is unreachable) 503; " +
            "checks.mcp.data gives each server's tool count.");
        document.Paths[Extensions.AlivenessEndpointPath] = Path(document, "Liveness: the process answers", "200 while the process runs.");
        return Task.CompletedTask;
    }

    private static OpenApiPathItem Path(OpenApiDocument document, string summary, string description) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                Summary = summary,
                Description = description,
                Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
                Responses = new OpenApiResponses
                {
                    ["200"] = Report("Healthy or Degraded"),
                    ["503"] = Report("Unhealthy"),
                },
            },
        },
    };

    /// <summary>The health report: an overall status and, per check, its status, description and data.</summary>
    private static OpenApiResponse Report(string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["status"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["Healthy", "Degraded", "Unhealthy"] },
                        ["checks"] = new OpenApiSchema { Type = JsonSchemaType.Object },
                    },
                },
            },
        },
    };
}
