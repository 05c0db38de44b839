namespace AgentSuite.Governance;

/// <summary>
/// The human on whose behalf an agent acts, or who decides an approval. <see cref="Name"/> is what the stores and the
/// audit record; for a caller signed in with a bearer token it is <c>name (subject)</c> (<see cref="Recorded"/>) and
/// <see cref="Subject"/> holds the token's stable subject, which separation of duties compares.
/// </summary>
public sealed record Principal(string Name, IReadOnlySet<string> Roles)
{
    public Principal(string name, params string[] roles)
        : this(name, new HashSet<string>(roles, StringComparer.OrdinalIgnoreCase))
    {
    }

    /// <summary>The identity provider's stable id for this person; null for an API key or a demo-mode name, whose name is its id.</summary>
    public string? Subject { get; init; }

    /// <summary>
    /// The service acting for this person (a coordinator's key holding the <c>delegate</c> role), recorded beside the
    /// person in the audit and the turn; null when the person called directly. Never compared for separation of duties.
    /// </summary>
    public string? Via { get; init; }

    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>
    /// Whether <paramref name="recorded"/> (a principal as the stores keep it) is this person: the same name, or, for a
    /// token's caller, the same subject, so a renamed person is still recognised and two people sharing a name are not confused.
    /// </summary>
    public bool IsSamePersonAs(string? recorded) =>
        recorded is not null
        && (string.Equals(Name, recorded, StringComparison.OrdinalIgnoreCase)
            || (Subject is { Length: > 0 } subject && (string.Equals(recorded, subject, StringComparison.Ordinal) || recorded.EndsWith($" ({subject})", StringComparison.Ordinal))));

    /// <summary>The name recorded for a token's caller: the display name with the subject, or the subject alone when there is no name.</summary>
    public static string Recorded(string? name, string subject) =>
        string.IsNullOrWhiteSpace(name) || string.Equals(name, subject, StringComparison.Ordinal) ? subject : $"{name} ({subject})";

    public override string ToString() => Name;
}

/// <summary>The roles the Api and the governance layer know.</summary>
public static class Roles
{
    public const string User = "user";
    public const string Approver = "approver";
    public const string Admin = "admin";

    /// <summary>May act for someone else: an agent server runs a turn sent with this key under the human it names (docs/agents-over-mcp.md).</summary>
    public const string Delegate = "delegate";
}
