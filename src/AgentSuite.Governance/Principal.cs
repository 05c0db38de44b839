namespace AgentSuite.Governance;

/// <summary>The human on whose behalf an agent acts, or who decides an approval.</summary>
public sealed record Principal(string Name, IReadOnlySet<string> Roles)
{
    public Principal(string name, params string[] roles)
        : this(name, new HashSet<string>(roles, StringComparer.OrdinalIgnoreCase))
    {
    }

    public bool IsInRole(string role) => Roles.Contains(role);

    public override string ToString() => Name;
}

/// <summary>The roles the Api and the governance layer know.</summary>
public static class Roles
{
    public const string User = "user";
    public const string Approver = "approver";
    public const string Admin = "admin";
}
