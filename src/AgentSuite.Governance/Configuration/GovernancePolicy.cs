using AgentSuite.Governance.KillSwitch;
using AgentSuite.Governance.Policy;
using AgentSuite.Governance.Screening;

namespace AgentSuite.Governance.Configuration;

/// <summary>
/// The <see cref="GovernanceOptions"/> compiled once per configuration version: patterns parsed, conditions parsed,
/// regexes built. A configuration that does not compile yields a policy with an <see cref="Error"/>, under which every
/// call is denied (fail closed) until the configuration is fixed.
/// </summary>
public sealed class GovernancePolicy
{
    private GovernancePolicy(GovernanceOptions options, string? error)
    {
        Options = options;
        Error = error;
    }

    public GovernanceOptions Options { get; }

    /// <summary>Why the configuration is unusable; null when it compiled.</summary>
    public string? Error { get; }

    public IReadOnlySet<string> KillSwitches { get; private init; } = new HashSet<string>();

    internal IReadOnlyDictionary<string, AgentRules> Agents { get; private init; } = new Dictionary<string, AgentRules>();

    internal IReadOnlyList<ConstraintRule> Constraints { get; private init; } = [];

    internal IReadOnlyList<ApprovalRule> ApprovalRules { get; private init; } = [];

    internal IReadOnlyList<(ToolPattern Tool, int PerMinute)> ToolLimits { get; private init; } = [];

    /// <summary>Null when secret redaction is switched off.</summary>
    public SecretRedactor? Redactor { get; private init; }

    public static GovernancePolicy Compile(GovernanceOptions options)
    {
        try
        {
            return new GovernancePolicy(options, null)
            {
                KillSwitches = options.KillSwitch.Engaged.Select((s, i) => Named($"KillSwitch:Engaged:{i}", () => KillSwitchScope.Parse(s))).ToHashSet(StringComparer.Ordinal),
                Agents = options.Agents.ToDictionary(
                    a => a.Key,
                    a => new AgentRules(Patterns(a.Value.Allow, $"Agents:{a.Key}:Allow"), Patterns(a.Value.Deny, $"Agents:{a.Key}:Deny")),
                    StringComparer.Ordinal),
                Constraints = options.Constraints.Select((c, i) => new ConstraintRule(
                    Pattern(c.Tool, $"Constraints:{i}:Tool"),
                    Condition(c.Rule, $"Constraints:{i}:Rule") ?? throw new FormatException($"Constraints:{i}:Rule is empty."),
                    c.Message)).ToList(),
                ApprovalRules = options.Approval.Rules.Select((r, i) => new ApprovalRule(
                    Pattern(r.Tool, $"Approval:Rules:{i}:Tool"),
                    string.IsNullOrWhiteSpace(r.Agent) ? null : r.Agent,
                    Condition(r.When, $"Approval:Rules:{i}:When"),
                    Annotation(r.Annotation, $"Approval:Rules:{i}:Annotation"),
                    r.Reason)).ToList(),
                ToolLimits = options.Limits.Tools.Select((t, i) => (Pattern(t.Tool, $"Limits:Tools:{i}:Tool"), t.PerMinute)).ToList(),
                Redactor = options.Results.RedactSecrets ? Named("Results:RedactPatterns", () => new SecretRedactor(options.Results.RedactPatterns)) : null,
            }.Validated();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return Invalid(options, ex.Message);
        }
    }

    public static GovernancePolicy Invalid(GovernanceOptions options, string error) =>
        new(options, $"The Governance configuration is invalid, so every tool call is denied until it is fixed: {error}")
        {
            // Denials are still audited with their arguments; never let a broken configuration switch redaction off.
            Redactor = new SecretRedactor(),
        };

    /// <summary>Whether the allow-list lets <paramref name="agent"/> call <paramref name="tool"/> (default deny).</summary>
    public bool IsAllowed(string agent, string tool) =>
        Error is null
        && Agents.TryGetValue(agent, out var rules)
        && AnyMatch(rules.Allow, tool)
        && !AnyMatch(rules.Deny, tool);

    private static bool AnyMatch(ToolPattern[] patterns, string tool)
    {
        foreach (var pattern in patterns)
        {
            if (pattern.IsMatch(tool))
            {
                return true;
            }
        }

        return false;
    }

    private GovernancePolicy Validated()
    {
        var o = Options;
        Check(o.Limits.PerConversationPerMinute >= 0, "Limits:PerConversationPerMinute must be 0 (off) or more.");
        Check(o.Limits.PerToolPerMinute >= 0, "Limits:PerToolPerMinute must be 0 (off) or more.");
        Check(o.Limits.MaxIdenticalCallsPerRun >= 0, "Limits:MaxIdenticalCallsPerRun must be 0 (off) or more.");
        Check(o.Limits.PerPrincipalPerMinute >= 0, "Limits:PerPrincipalPerMinute must be 0 (off) or more.");
        Check(o.Limits.AsksPerMinute >= 0, "Limits:AsksPerMinute must be 0 (off) or more.");
        Check(o.Limits.DailyTokens >= 0, "Limits:DailyTokens must be 0 (unlimited) or more.");
        foreach (var (name, limits) in o.Limits.Principals)
        {
            Check(limits.PerPrincipalPerMinute is null or >= 0, $"Limits:Principals:{name}:PerPrincipalPerMinute must be 0 (off) or more.");
            Check(limits.AsksPerMinute is null or >= 0, $"Limits:Principals:{name}:AsksPerMinute must be 0 (off) or more.");
            Check(limits.DailyTokens is null or >= 0, $"Limits:Principals:{name}:DailyTokens must be 0 (unlimited) or more.");
        }

        for (var i = 0; i < o.Limits.Tools.Count; i++)
        {
            Check(o.Limits.Tools[i].PerMinute > 0, $"Limits:Tools:{i}:PerMinute must be more than 0.");
        }

        Check(o.KillSwitch.RefreshInterval >= TimeSpan.Zero, "KillSwitch:RefreshInterval must be zero (read before every call) or positive.");
        Check(o.Approval.Timeout > TimeSpan.Zero, "Approval:Timeout must be positive, e.g. \"00:10:00\".");
        Check(o.Approval.PollInterval > TimeSpan.Zero, "Approval:PollInterval must be positive, e.g. \"00:00:01\".");
        Check(o.Idempotency.PendingLease > TimeSpan.Zero, "Idempotency:PendingLease must be positive.");
        Check(o.Results.MaxChars >= 256, "Results:MaxChars must be at least 256.");
        Check(o.IdleStateRelease > TimeSpan.Zero, "IdleStateRelease must be positive, e.g. \"00:05:00\".");
        return this;
    }

    private static void Check(bool ok, string message)
    {
        if (!ok)
        {
            throw new FormatException(message);
        }
    }

    private static T Named<T>(string key, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new FormatException($"{key}: {ex.Message}", ex);
        }
    }

    private static ToolPattern[] Patterns(List<string> patterns, string key) =>
        patterns.Select((p, i) => Pattern(p, $"{key}:{i}")).ToArray();

    private static ToolPattern Pattern(string text, string key)
    {
        try
        {
            return ToolPattern.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{key}: {ex.Message}", ex);
        }
    }

    private static ArgumentCondition? Condition(string? text, string key)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return ArgumentCondition.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"{key}: {ex.Message}", ex);
        }
    }

    private static string? Annotation(string? name, string key) =>
        string.IsNullOrWhiteSpace(name) || ToolAnnotations.None.Get(name) is not null
            ? (string.IsNullOrWhiteSpace(name) ? null : name)
            : throw new FormatException($"{key}: '{name}' is not an MCP annotation; use readOnlyHint, destructiveHint, idempotentHint or openWorldHint.");

    internal sealed record AgentRules(ToolPattern[] Allow, ToolPattern[] Deny);

    internal sealed record ConstraintRule(ToolPattern Tool, ArgumentCondition Condition, string? Message);

    internal sealed record ApprovalRule(ToolPattern Tool, string? Agent, ArgumentCondition? When, string? Annotation, string? Reason);
}
