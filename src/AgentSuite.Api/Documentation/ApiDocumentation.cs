using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace AgentSuite.Api.Documentation;

/// <summary>
/// The HTTP contract as an OpenAPI document at <see cref="DocumentPath"/>, and in Development an interactive reference
/// of it at <see cref="ReferencePath"/>. docs/api.md is the same contract in prose; a test keeps the two in step.
/// </summary>
internal static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/scalar";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "AgentSuite Api",
                    Version = DocumentName,
                    Description = "Conversations with the coordinator agent, the approvals inbox, the hash-chained audit log, kill switches and tool pins. " +
                        "Every error is problem details (application/problem+json) with a detail that says what to do next.",
                };
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer<CallerIdentityTransformer>();
            options.AddOperationTransformer<CallerIdentityTransformer>();
            options.AddDocumentTransformer<HealthPathsTransformer>();
            options.AddSchemaTransformer<OmittedNullsTransformer>();
        });

    /// <summary>Serves the document always (it is the contract), and the interactive reference in Development only.</summary>
    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath);
        if (app.Environment.IsDevelopment())
        {
            // Its own fonts, not a font CDN's: the reference's content security policy allows only this origin.
            app.MapScalarApiReference(ReferencePath, options => options.WithTitle("AgentSuite Api").DisableDefaultFonts());
        }

        return app;
    }
}
