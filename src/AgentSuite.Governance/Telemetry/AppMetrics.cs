using System.Diagnostics;
using System.Diagnostics.Metrics;
using static AgentSuite.Governance.Telemetry.AppTelemetry;

namespace AgentSuite.Governance.Telemetry;

/// <summary>
/// The instruments on the <c>AgentSuite</c> meter. Each <c>Record</c> method returns at once when nothing listens, so the
/// governed hot path pays one field read for its metrics.
/// </summary>
public static class AppMetrics
{
    public static readonly Counter<long> ToolCalls = AppTelemetry.Meter.CreateCounter<long>(
        "agentsuite.tool.calls", "{call}", "Governed tool calls by tool, calling agent, governance decision and outcome.");

    public static readonly Counter<long> ApprovalRequests = AppTelemetry.Meter.CreateCounter<long>(
        "agentsuite.approval.requests", "{request}", "Approval requests made (each one audited as approval.requested), by tool and calling agent.");

    public static readonly Histogram<double> ApprovalWait = AppTelemetry.Meter.CreateHistogram(
        "agentsuite.approval.wait.duration", "s", "How long a call waited for a person's approval, by how it was resolved.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200, 86400] });

    public static readonly Histogram<double> TurnDuration = AppTelemetry.Meter.CreateHistogram(
        "agentsuite.turn.duration", "s", "One conversation turn, from the user's message to the reply, approvals included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] });

    public static readonly Histogram<double> AuditAppend = AppTelemetry.Meter.CreateHistogram(
        "agentsuite.audit.append.duration", "s", "From an audit entry's append to its commit in the hash chain.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });

    /// <summary>Counts one governed call. <paramref name="decision"/> is null for a call cancelled before governance decided.</summary>
    public static void RecordToolCall(string tool, string agent, string? decision, string outcome, string? stage)
    {
        if (!ToolCalls.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { GenAI.ToolName, tool },
            { GenAI.AgentName, agent },
            { Attributes.Outcome, outcome },
        };
        if (decision is not null)
        {
            tags.Add(Attributes.Decision, decision);
        }

        if (stage is not null)
        {
            tags.Add(Attributes.Stage, stage);
        }

        ToolCalls.Add(1, tags);
    }

    public static void RecordApprovalRequest(string tool, string agent)
    {
        if (ApprovalRequests.Enabled)
        {
            ApprovalRequests.Add(1, new KeyValuePair<string, object?>(GenAI.ToolName, tool), new KeyValuePair<string, object?>(GenAI.AgentName, agent));
        }
    }

    public static void RecordApprovalWait(TimeSpan waited, string tool, string decision)
    {
        if (ApprovalWait.Enabled)
        {
            ApprovalWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>(GenAI.ToolName, tool), new KeyValuePair<string, object?>(Attributes.ApprovalDecision, decision));
        }
    }

    public static void RecordTurn(TimeSpan duration, string agent, string outcome)
    {
        if (TurnDuration.Enabled)
        {
            TurnDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(GenAI.AgentName, agent), new KeyValuePair<string, object?>(Attributes.Outcome, outcome));
        }
    }

    /// <summary>One audit append, from a start taken with <see cref="Stopwatch.GetTimestamp()"/>; <paramref name="errorType"/> when it failed.</summary>
    public static void RecordAuditAppend(long startTimestamp, string? errorType)
    {
        if (!AuditAppend.Enabled || startTimestamp == 0)
        {
            return;
        }

        var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        if (errorType is null)
        {
            AuditAppend.Record(seconds);
        }
        else
        {
            AuditAppend.Record(seconds, new KeyValuePair<string, object?>(Attributes.ErrorType, errorType));
        }
    }
}
