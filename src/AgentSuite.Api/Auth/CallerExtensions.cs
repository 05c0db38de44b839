using System.Security.Claims;
using AgentSuite.Governance;
using Microsoft.AspNetCore.Authorization;

namespace AgentSuite.Api.Auth;

internal static class CallerExtensions
{
    /// <summary>The governance principal of an authenticated caller: the name the audit records and the roles it holds.</summary>
    public static Principal ToPrincipal(this ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? throw new InvalidOperationException("The caller is not authenticated."), user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray());

    /// <summary>Requires the role, and records it so a 403 names it.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, string role)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizeAttribute { Roles = role, AuthenticationSchemes = ApiKeyAuthenticationHandler.SchemeName })
            .WithMetadata(new RequiresRoleMetadata(role));
}
