namespace AgentSuite.Api.Auth;

/// <summary>
/// The <c>Auth:Jwt</c> section: bearer tokens from an OpenID Connect provider (Entra ID, Keycloak, any other), checked
/// against its discovery document (<see cref="Authority"/>) or offline against <see cref="Issuer"/> and
/// <see cref="SigningKeys"/>. Set either and the Api accepts tokens, and local demo mode is off.
/// </summary>
public sealed class JwtOptions
{
    public const string Section = "Auth:Jwt";

    /// <summary>The claims that may carry the name, tried in order, when <see cref="NameClaims"/> is empty.</summary>
    public static readonly IReadOnlyList<string> DefaultNameClaims = ["name", "preferred_username"];

    /// <summary>The provider's issuer URL; its <c>/.well-known/openid-configuration</c> gives the issuer and the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The expected <c>iss</c>: required without <see cref="Authority"/>, and overrides the discovered one with it.</summary>
    public string? Issuer { get; set; }

    /// <summary>Public keys (PEM text, or the path of a PEM file) that sign tokens, for validation without the discovery document.</summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>One accepted <c>aud</c>; <see cref="Audiences"/> adds more.</summary>
    public string? Audience { get; set; }

    public List<string> Audiences { get; set; } = [];

    /// <summary>The claim whose values are the caller's roles (Entra ID app roles: <c>roles</c>).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claims that may carry the display name, the first present wins; empty means <see cref="DefaultNameClaims"/>.</summary>
    public List<string> NameClaims { get; set; } = [];

    /// <summary>The claim with the caller's stable id, which the audit records beside the name and separation of duties compares.</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>
    /// The provider's role values that grant each AgentSuite role (<c>Roles:approver = Desk.Approver</c>, several
    /// separated by commas). A role with no entry is granted by a value equal to its own name.
    /// </summary>
    public Dictionary<string, string> Roles { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the discovery document must come over HTTPS; only a loopback test provider turns it off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(Issuer);

    public IReadOnlyList<string> AllAudiences =>
        [.. (string.IsNullOrWhiteSpace(Audience) ? Audiences : Audiences.Prepend(Audience)).Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).Distinct(StringComparer.Ordinal)];

    public IReadOnlyList<string> EffectiveNameClaims => NameClaims.Count > 0 ? NameClaims : DefaultNameClaims;

    /// <summary>The provider values that grant <paramref name="role"/>.</summary>
    public IReadOnlyList<string> ValuesFor(string role) =>
        Roles.TryGetValue(role, out var values)
            ? [.. values.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [role];
}
