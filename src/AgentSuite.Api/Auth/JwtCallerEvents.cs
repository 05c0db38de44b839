using System.Security.Claims;
using AgentSuite.Governance;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;

namespace AgentSuite.Api.Auth;

/// <summary>
/// Turns a validated token into an AgentSuite caller (the name recorded as <c>name (subject)</c>, the subject, the
/// mapped roles), refuses a token with no subject or no AgentSuite role, and answers challenges and refusals with
/// problem details that say why.
/// </summary>
internal sealed class JwtCallerEvents(JwtOptions options) : JwtBearerEvents
{
    /// <summary>The claim of an AgentSuite caller that holds the token's subject.</summary>
    public const string SubjectClaim = "agentsuite:subject";

    public override Task TokenValidated(TokenValidatedContext context)
    {
        var token = context.Principal!;
        var subject = token.FindFirst(options.SubjectClaim)?.Value;
        if (string.IsNullOrWhiteSpace(subject))
        {
            context.Fail($"The bearer token has no '{options.SubjectClaim}' claim, which identifies its holder to the audit; set {JwtOptions.Section}:SubjectClaim to the claim your provider uses.");
            return Task.CompletedTask;
        }

        var name = Principal.Recorded(DisplayName(token), subject);
        var held = token.FindAll(options.RoleClaim).Select(c => c.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var roles = new[] { Roles.User, Roles.Approver, Roles.Admin, Roles.Delegate }.Where(role => options.ValuesFor(role).Any(held.Contains)).ToList();
        if (roles.Count == 0)
        {
            var mapping = string.Join("; ", new[] { Roles.User, Roles.Approver, Roles.Admin, Roles.Delegate }.Select(r => $"{r} ← {string.Join(", ", options.ValuesFor(r))}"));
            context.Fail($"The bearer token of '{name}' grants no AgentSuite role: its '{options.RoleClaim}' claim holds {(held.Count == 0 ? "nothing" : string.Join(", ", held.Order(StringComparer.Ordinal)))}, and the roles are granted by {mapping}. Assign the person a role at the identity provider, or map its values with {JwtOptions.Section}:Roles.");
            return Task.CompletedTask;
        }

        var identity = new ClaimsIdentity(JwtBearerDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        identity.AddClaim(new Claim(SubjectClaim, subject));
        identity.AddClaims(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        context.Principal = new ClaimsPrincipal(identity);
        return Task.CompletedTask;
    }

    /// <summary>Every failure ends as a failed authentication, so an unreachable provider is a refusal, never an exception.</summary>
    public override Task AuthenticationFailed(AuthenticationFailedContext context)
    {
        context.Fail(context.Exception);
        return Task.CompletedTask;
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        if (context.AuthenticateFailure is not null && await UnreachableProviderAsync(context) is { } unreachable)
        {
            await Problems.WriteAsync(context.HttpContext, StatusCodes.Status503ServiceUnavailable, "Identity provider unavailable", JwtFailureReasons.ProviderUnavailable(options, unreachable));
            return;
        }

        context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Not authenticated", JwtFailureReasons.Describe(context.AuthenticateFailure, options, Presented(context.Request)));
    }

    /// <summary>
    /// Why the provider's discovery document cannot be had, or null when it can (it is cached, so this costs nothing
    /// then): without it every token fails as from the wrong issuer, which would blame the caller for an outage.
    /// </summary>
    private static async Task<Exception?> UnreachableProviderAsync(JwtBearerChallengeContext context)
    {
        if (context.Options.ConfigurationManager is not { } metadata)
        {
            return null;
        }

        try
        {
            await metadata.GetConfigurationAsync(context.HttpContext.RequestAborted);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return ex;
        }
    }

    /// <summary>The token sent, parsed but not trusted, to quote its audience or issuer in a refusal; null when it does not parse.</summary>
    private static JsonWebToken? Presented(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        var raw = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : "";
        try
        {
            return raw.Length == 0 ? null : new JsonWebToken(raw);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    public override Task Forbidden(ForbiddenContext context) => CallerRefusals.ForbiddenAsync(context.HttpContext);

    private string? DisplayName(ClaimsPrincipal token) =>
        options.EffectiveNameClaims.Select(c => token.FindFirst(c)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) is { } name
            ? new string([.. name.Trim().Where(ch => !char.IsControl(ch))])
            : null;
}
