using System.Security.Claims;
using AgentSuite.Governance;
using Microsoft.AspNetCore.Authorization;

namespace AgentSuite.Api.Auth;

internal static class CallerExtensions
{
    /// <summary>The governance principal of an authenticated caller: the name the audit records, the roles it holds and, for a token, its subject.</summary>
    public static Principal ToPrincipal(this ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? throw new InvalidOperationException("The caller is not authenticated."), user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray())
        {
            Subject = user.FindFirst(JwtCallerEvents.SubjectClaim)?.Value,
            Via = user.FindFirst(AgentServer.DelegatedCaller.ViaClaim)?.Value,
        };

    /// <summary>
    /// Requires one of the roles, and records them so a 403 names them. Requirements add up: a group's and its
    /// endpoint's must both hold, and the endpoint's, the narrower, is the one a 403 names.
    /// </summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, params string[] roles)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizeAttribute { Roles = string.Join(',', roles), AuthenticationSchemes = CallerAuthentication.SchemeName })
            .WithMetadata(new RequiresRoleMetadata(roles));
}
