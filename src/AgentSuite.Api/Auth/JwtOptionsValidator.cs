using AgentSuite.Governance;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Auth;

/// <summary>
/// Refuses to start with bearer settings that could not work or would accept too much: settings without an authority
/// or issuer, no audience, an issuer without keys to check it, a non-HTTPS authority (plain HTTP only on loopback), an unreadable key or an unknown role.
/// </summary>
internal sealed class JwtOptionsValidator(IHostEnvironment environment) : IValidateOptions<JwtOptions>
{
    private const string S = JwtOptions.Section;
    private static readonly string[] KnownRoles = [Roles.User, Roles.Approver, Roles.Admin, Roles.Delegate];

    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        if (!options.Enabled)
        {
            return options.AllAudiences.Count > 0 || options.SigningKeys.Count > 0 || options.Roles.Count > 0
                ? ValidateOptionsResult.Fail($"{S} has settings but neither {S}:Authority (the provider's OpenID Connect issuer URL) nor {S}:Issuer with {S}:SigningKeys; set one, or remove the section to use API keys only.")
                : ValidateOptionsResult.Success;
        }

        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"{S}:Authority '{options.Authority}' is not an http(s) URL; use the provider's issuer URL, e.g. https://login.microsoftonline.com/<tenant>/v2.0.");
            }
            else if (authority.Scheme != Uri.UriSchemeHttps && options.RequireHttpsMetadata)
            {
                errors.Add($"{S}:Authority '{options.Authority}' is not HTTPS, so its signing keys could be forged in transit; use HTTPS ({S}:RequireHttpsMetadata=false is for a provider on loopback only).");
            }
            else if (authority.Scheme != Uri.UriSchemeHttps && !authority.IsLoopback)
            {
                // Only traffic that never leaves the machine is safe from a forged discovery document or key set.
                errors.Add($"{S}:Authority '{options.Authority}' is plain HTTP to '{authority.Host}', which is not loopback, so its signing keys could be forged in transit; "
                    + $"{S}:RequireHttpsMetadata=false allows HTTP only for a provider on this machine (127.0.0.1, ::1, localhost). Use the provider's HTTPS URL.");
            }
        }
        else if (options.SigningKeys.Count == 0)
        {
            errors.Add($"{S}:Issuer is set without {S}:Authority, so {S}:SigningKeys must hold the issuer's public keys (PEM text or a PEM file).");
        }

        if (options.AllAudiences.Count == 0)
        {
            errors.Add($"{S}:Audience is empty; set the audience tokens for this Api carry (Entra ID: the app registration's Application ID URI or client id), so tokens meant for another application are refused.");
        }

        if (string.IsNullOrWhiteSpace(options.RoleClaim) || string.IsNullOrWhiteSpace(options.SubjectClaim))
        {
            errors.Add($"{S}:RoleClaim and {S}:SubjectClaim must name claims (defaults: roles, sub).");
        }

        foreach (var (role, values) in options.Roles)
        {
            if (!KnownRoles.Contains(role, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"{S}:Roles:{role}: '{role}' is not an AgentSuite role; map the provider's values to {string.Join(", ", KnownRoles)}.");
            }
            else if (options.ValuesFor(role).Count == 0)
            {
                errors.Add($"{S}:Roles:{role} is empty; list the provider's role values that grant it, separated by commas.");
            }
        }

        try
        {
            // Read only to check them: the token check reads its own set, kept for the app's lifetime.
            using var keys = JwtSigningKeys.Load(options.SigningKeys, environment.ContentRootPath);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add(ex.Message);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
