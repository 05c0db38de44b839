using System.Diagnostics;

namespace AgentSuite.Governance.Telemetry;

/// <summary>
/// A recorded <c>execute_tool</c> span and the facts filters add to it. It exists only while a listener records the
/// call, so an unobserved call carries one null reference instead of these fields.
/// </summary>
internal sealed class ToolCallSpan(Activity activity)
{
    public Activity Activity { get; } = activity;

    /// <summary><c>pinned</c>, or why the tool is blocked (<c>unapproved</c>, <c>changed</c>).</summary>
    public string? PinStatus { get; set; }

    /// <summary><c>approved</c>, <c>denied</c>, <c>timed_out</c> or <c>pending</c>.</summary>
    public string? ApprovalDecision { get; set; }

    public static ToolCallSpan? For(Activity? activity) => activity is { IsAllDataRequested: true } ? new(activity) : null;
}
