using AgentSuite.Governance.Configuration;

namespace AgentSuite.Governance.Limits;

/// <summary>
/// One principal's limits: the <c>Governance:Limits</c> defaults, overridden by the first
/// <c>Governance:Limits:Principals:NAME</c> entry that names this caller (its name, or a token's subject).
/// </summary>
public sealed record PrincipalLimits(int PerPrincipalPerMinute, int AsksPerMinute, long DailyTokens)
{
    public static PrincipalLimits For(LimitOptions limits, Principal principal)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(principal);
        var own = Override(limits, principal);
        return new PrincipalLimits(
            own?.PerPrincipalPerMinute ?? limits.PerPrincipalPerMinute,
            own?.AsksPerMinute ?? limits.AsksPerMinute,
            own?.DailyTokens ?? limits.DailyTokens);
    }

    /// <summary>The daily token budget of a principal as the stores record it (a name, or <c>name (subject)</c>).</summary>
    public static long DailyTokensOf(LimitOptions limits, string recorded)
    {
        ArgumentNullException.ThrowIfNull(limits);
        foreach (var (name, own) in limits.Principals)
        {
            if (own.DailyTokens is { } tokens && Matches(name, recorded))
            {
                return tokens;
            }
        }

        return limits.DailyTokens;
    }

    /// <summary>The key a principal's windows and counters are kept under: a token's subject, else the name (case-insensitively).</summary>
    public static string KeyOf(Principal principal) =>
        principal.Subject is { Length: > 0 } subject ? "sub:" + subject : "name:" + principal.Name.ToUpperInvariant();

    private static PrincipalLimitOptions? Override(LimitOptions limits, Principal principal)
    {
        foreach (var (name, own) in limits.Principals)
        {
            if (principal.IsSamePersonAs(name))
            {
                return own;
            }
        }

        return null;
    }

    // As IsSamePersonAs: the recorded name, or the subject a token's caller is recorded with.
    private static bool Matches(string name, string recorded) =>
        string.Equals(name, recorded, StringComparison.OrdinalIgnoreCase) || recorded.EndsWith($" ({name})", StringComparison.Ordinal);
}
