namespace AgentSuite.Governance.KillSwitch;

/// <summary>
/// Kill switch scopes: <c>global</c>, <c>agent:NAME</c>, <c>server:NAME</c>, <c>tool:SERVER/TOOL</c>, and
/// <c>principal:NAME</c>, which stops everything one caller (a person or an external agent) asks, matched as
/// <see cref="Governance.Principal.IsSamePersonAs"/> matches: the name, or a token's subject.
/// </summary>
public static class KillSwitchScope
{
    public const string Global = "global";

    public static string Agent(string name) => "agent:" + name;

    public static string Server(string name) => "server:" + name;

    public static string Tool(ToolIdentity tool) => "tool:" + tool.Key;

    public const string PrincipalPrefix = "principal:";

    public static string Principal(string name) => PrincipalPrefix + name;

    /// <summary>The name of a <c>principal:NAME</c> scope; null for any other scope.</summary>
    public static string? PrincipalOf(string scope) =>
        scope.StartsWith(PrincipalPrefix, StringComparison.Ordinal) ? scope[PrincipalPrefix.Length..] : null;

    /// <summary>Checks the form of a scope and returns it trimmed; throws <see cref="FormatException"/> saying the accepted forms.</summary>
    public static string Parse(string? scope)
    {
        var s = scope?.Trim() ?? "";
        var valid = s == Global
            || (s.StartsWith("agent:", StringComparison.Ordinal) && s.Length > 6)
            || (s.StartsWith("server:", StringComparison.Ordinal) && s.Length > 7 && !s.Contains('/', StringComparison.Ordinal))
            || (s.StartsWith("tool:", StringComparison.Ordinal) && IsToolKey(s[5..]))
            || (s.StartsWith(PrincipalPrefix, StringComparison.Ordinal) && s.Length > PrincipalPrefix.Length && !char.IsWhiteSpace(s[PrincipalPrefix.Length]));
        return valid
            ? s
            : throw new FormatException($"'{scope}' is not a kill switch scope; use 'global', 'agent:NAME', 'server:NAME', 'tool:SERVER/TOOL' or 'principal:NAME' (a caller's name or token subject).");
    }

    private static bool IsToolKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < key.Length - 1;
    }
}
