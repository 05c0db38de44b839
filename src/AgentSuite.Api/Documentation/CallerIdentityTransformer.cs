using AgentSuite.Api.Auth;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace AgentSuite.Api.Documentation;

/// <summary>
/// Declares how a caller identifies itself, a bearer token when <c>Auth:Jwt</c> is configured, <c>X-Api-Key</c> when
/// keys are, or <c>X-User</c> in local demo mode, and marks every operation that needs a role as needing one of them,
/// so the reference can send any.
/// </summary>
internal sealed class CallerIdentityTransformer(IOptionsMonitor<JwtOptions> jwt) : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    private const string BearerScheme = "Bearer";

    // The monitor's value is the one validated at start, not a second copy validated (and its keys read) again.
    private bool BearerTokens => jwt.CurrentValue.Enabled;

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        if (BearerTokens)
        {
            document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token from the identity provider Auth:Jwt trusts; its roles claim, mapped by Auth:Jwt:Roles, decides what the caller may do.",
            };
        }

        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.KeyHeader] = Header(
            ApiKeyAuthenticationHandler.KeyHeader, "An API key from Auth:Keys; its roles decide what the caller may do.");
        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.UserHeader] = Header(
            ApiKeyAuthenticationHandler.UserHeader, "Local demo mode only (no Auth:Keys): the caller's name; every caller holds every role.");
        return Task.CompletedTask;
    }

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RequiresRoleMetadata>().LastOrDefault() is { } role && context.Document is { } document)
        {
            // Any of them identifies the caller: alternative requirements.
            operation.Security =
            [
                .. BearerTokens ? [Requirement(document, BearerScheme)] : Array.Empty<OpenApiSecurityRequirement>(),
                Requirement(document, ApiKeyAuthenticationHandler.KeyHeader),
                Requirement(document, ApiKeyAuthenticationHandler.UserHeader),
            ];
            operation.Description = $"{operation.Description}{(operation.Description is null ? "" : " ")}Needs the {role.Names} role.";
        }

        return Task.CompletedTask;
    }

    private static OpenApiSecurityScheme Header(string name, string description) =>
        new() { Type = SecuritySchemeType.ApiKey, In = ParameterLocation.Header, Name = name, Description = description };

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document, string scheme) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}
