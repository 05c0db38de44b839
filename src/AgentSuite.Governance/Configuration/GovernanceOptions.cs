namespace AgentSuite.Governance.Configuration;

/// <summary>The <c>Governance</c> configuration section. Reloaded on change; every key is described in docs/governance.md.</summary>
public sealed class GovernanceOptions
{
    public const string SectionName = "Governance";

    public KillSwitchOptions KillSwitch { get; set; } = new();

    /// <summary>Per agent: which tools it may call. An agent with no entry may call nothing.</summary>
    public Dictionary<string, AgentPolicyOptions> Agents { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Conditions a tool's arguments must satisfy, beyond its JSON schema.</summary>
    public List<ArgumentConstraintOptions> Constraints { get; set; } = [];

    public LimitOptions Limits { get; set; } = new();

    public PinningOptions Pinning { get; set; } = new();

    public ApprovalOptions Approval { get; set; } = new();

    public IdempotencyOptions Idempotency { get; set; } = new();

    public ResultOptions Results { get; set; } = new();

    public AuditOptions Audit { get; set; } = new();

    /// <summary>
    /// How long in-memory state about a conversation or run (rate-limit windows, loop counters) is kept once nothing
    /// uses it. A window is kept until it has ended, and a run's loop counters until the run has ended, whatever this says.
    /// </summary>
    public TimeSpan IdleStateRelease { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class KillSwitchOptions
{
    /// <summary>Scopes engaged by configuration: <c>global</c>, <c>agent:NAME</c>, <c>server:NAME</c>, <c>tool:SERVER/TOOL</c>, <c>principal:NAME</c>.</summary>
    public List<string> Engaged { get; set; } = [];

    /// <summary>
    /// How stale the switches engaged by other instances sharing the store may be. A switch changed through this
    /// instance applies to its very next call regardless; one changed elsewhere applies here within this interval.
    /// Zero reads the store before every call (one more query per call).
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);
}

public sealed class AgentPolicyOptions
{
    /// <summary>Patterns over <c>server/tool</c>; <c>*</c> matches any run of characters, <c>?</c> one.</summary>
    public List<string> Allow { get; set; } = [];

    /// <summary>Patterns that win over <see cref="Allow"/>.</summary>
    public List<string> Deny { get; set; } = [];
}

public sealed class ArgumentConstraintOptions
{
    /// <summary>Tool pattern the constraint applies to.</summary>
    public string Tool { get; set; } = "";

    /// <summary>A condition that must hold, e.g. <c>amount &lt;= 500</c>.</summary>
    public string Rule { get; set; } = "";

    /// <summary>Told to the model and the audit when the rule fails.</summary>
    public string? Message { get; set; }
}

public sealed class LimitOptions
{
    /// <summary>Tool calls per minute in one conversation, all agents and tools together. 0 turns the limit off.</summary>
    public int PerConversationPerMinute { get; set; } = 120;

    /// <summary>Calls per minute to one tool by one agent in one conversation. 0 turns the limit off.</summary>
    public int PerToolPerMinute { get; set; } = 30;

    /// <summary>The same tool with the same arguments in one run more than this many times is a loop and is stopped.</summary>
    public int MaxIdenticalCallsPerRun { get; set; } = 3;

    /// <summary>Per-tool overrides of <see cref="PerToolPerMinute"/>.</summary>
    public List<ToolLimitOptions> Tools { get; set; } = [];

    /// <summary>Tool calls per minute made on behalf of one principal, across all its conversations. 0 turns the limit off.</summary>
    public int PerPrincipalPerMinute { get; set; }

    /// <summary><c>ask_NAME</c> calls per minute by one caller at the front door (agents served over MCP). 0 turns the limit off.</summary>
    public int AsksPerMinute { get; set; }

    /// <summary>Model tokens (input and output, as the model reports them) one principal may spend per UTC day. 0 is unlimited.</summary>
    public long DailyTokens { get; set; }

    /// <summary>Per-principal overrides, keyed by a caller's name or token subject.</summary>
    public Dictionary<string, PrincipalLimitOptions> Principals { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>One principal's own limits (<c>Governance:Limits:Principals:NAME</c>); a limit left out is the section's default.</summary>
public sealed class PrincipalLimitOptions
{
    public int? PerPrincipalPerMinute { get; set; }

    public int? AsksPerMinute { get; set; }

    public long? DailyTokens { get; set; }
}

public sealed class ToolLimitOptions
{
    public string Tool { get; set; } = "";

    public int PerMinute { get; set; }
}

public enum PinningMode
{
    /// <summary>The first definition seen is pinned; later changes are blocked until re-approved.</summary>
    TrustOnFirstUse,

    /// <summary>No tool runs until an admin has approved its definition.</summary>
    RequireApproval,
}

public sealed class PinningOptions
{
    public PinningMode Mode { get; set; } = PinningMode.TrustOnFirstUse;
}

public sealed class ApprovalOptions
{
    /// <summary>How long a call waits for a person; no decision by then means deny.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a waiting call re-reads the store for decisions made by another instance.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public List<ApprovalRuleOptions> Rules { get; set; } = [];
}

public sealed class ApprovalRuleOptions
{
    /// <summary>Tool pattern; default every tool.</summary>
    public string Tool { get; set; } = "*";

    /// <summary>Agent name the rule is limited to; default every agent.</summary>
    public string? Agent { get; set; }

    /// <summary>Condition over the arguments, e.g. <c>amount &gt; 100</c>. A condition that cannot be evaluated requires approval.</summary>
    public string? When { get; set; }

    /// <summary>MCP annotation that must be true, e.g. <c>destructiveHint</c>.</summary>
    public string? Annotation { get; set; }

    /// <summary>Shown to the approver and recorded in the audit.</summary>
    public string? Reason { get; set; }
}

public sealed class IdempotencyOptions
{
    /// <summary>Argument names a tool may declare to supply its own idempotency key; default <c>idempotency_key</c>.</summary>
    public List<string> KeyArguments { get; set; } = [];

    /// <summary>A claim older than this with no outcome is treated as "outcome unknown".</summary>
    public TimeSpan PendingLease { get; set; } = TimeSpan.FromMinutes(5);

    internal IReadOnlyList<string> EffectiveKeyArguments => KeyArguments.Count > 0 ? KeyArguments : ["idempotency_key"];
}

public sealed class ResultOptions
{
    /// <summary>Results longer than this (as JSON text) are cut, and the model is told so.</summary>
    public int MaxChars { get; set; } = 16_000;

    public bool RedactSecrets { get; set; } = true;

    /// <summary>Extra .NET regular expressions to redact, on top of the built-in secret patterns.</summary>
    public List<string> RedactPatterns { get; set; } = [];
}

public sealed class AuditOptions
{
    /// <summary>Record the (redacted) arguments in the audit entry, not only their hash.</summary>
    public bool RecordArguments { get; set; } = true;

    /// <summary>The signed head of the chain kept outside the database (read at start).</summary>
    public Audit.AuditAnchorOptions Anchor { get; set; } = new();
}
