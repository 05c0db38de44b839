using System.Diagnostics;
using static AgentSuite.Governance.Telemetry.AppTelemetry;

namespace AgentSuite.Governance.Telemetry;

/// <summary>
/// The <c>execute_tool {server/tool}</c> span and the tool-call counter of one governed call, denied ones included.
/// Nothing here allocates unless a listener samples the span or subscribes to the counter.
/// </summary>
internal static class ToolCallTelemetry
{
    // Given at creation so samplers can see the operation (the conventions ask for it then).
    private static readonly KeyValuePair<string, object?>[] CreationTags = [new(GenAI.OperationName, GenAI.ExecuteTool)];

    public static string SpanName(string tool) => GenAI.ExecuteTool + " " + tool;

    /// <summary>Starts the span as a child of the current one (the calling agent's run); null when nothing listens.</summary>
    public static Activity? Start(string spanName) =>
        Source.StartActivity(ActivityKind.Internal, parentContext: default, tags: CreationTags, name: spanName);

    /// <summary>For a tool known only by name (a denial before the pipeline): the name is built only when someone listens.</summary>
    public static Activity? StartFor(string tool) => Source.HasListeners() ? Start(SpanName(tool)) : null;

    /// <summary>
    /// The call's span: the <c>execute_tool</c> span a function-invoking client (Semantic Kernel's, Microsoft.Extensions.AI's)
    /// already started for this very call, renamed to the governed name, or a new one. An adopted span is not ours to end.
    /// </summary>
    public static Activity? StartOrAdopt(string spanName, out bool adopted)
    {
        if (Activity.Current is { } current && IsInvokerSpanForCall(current))
        {
            adopted = true;
            current.DisplayName = spanName;
            current.SetCustomProperty(AdoptedProperty, true);
            return current;
        }

        adopted = false;
        return Start(spanName);
    }

    public static Activity? StartOrAdoptFor(string tool, out bool adopted)
    {
        if (Activity.Current is { } current && IsInvokerSpanForCall(current))
        {
            return StartOrAdopt(SpanName(tool), out adopted);
        }

        adopted = false;
        return StartFor(tool);
    }

    /// <summary>A new span, for a call no invoking loop has opened one for.</summary>
    public static Activity? Start(string spanName, out bool adopted)
    {
        adopted = false;
        return Start(spanName);
    }

    private const string AdoptedProperty = "agentsuite.governed";

    // The invoker's span of a call has the execute_tool operation and no governed call in it yet; a span governance already
    // owns (a hand-off's, around a specialist's run) is never current here, since the specialist's invoke_agent span is.
    private static bool IsInvokerSpanForCall(Activity current) =>
        current.Source.Name == Name
        && current.GetCustomProperty(AdoptedProperty) is null
        && current.GetTagItem(GenAI.OperationName) is GenAI.ExecuteTool;

    /// <summary>Records what happened. Call while the span is still current, so metric listeners see it too.</summary>
    public static void Finish(Activity? activity, in ToolCallFacts call, ToolCallContext? context, ToolCallOutcome outcome, TelemetryOptions? options)
    {
        var (decision, result) = outcome.Status switch
        {
            ToolCallStatus.Denied => ("denied", "denied"),
            ToolCallStatus.Replayed => ("allowed", "replayed"),
            ToolCallStatus.Failed => ("allowed", "failed"),
            _ => ("allowed", "completed"),
        };
        var stage = outcome.Status is ToolCallStatus.Denied or ToolCallStatus.Failed ? outcome.Stage : null;
        AppMetrics.RecordToolCall(call.Tool, call.Run?.Agent ?? "", decision, result, stage);
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        var sensitive = options?.RecordSensitiveData == true;
        Describe(activity, call, context, sensitive);
        activity.SetTag(Attributes.Decision, decision);
        activity.SetTag(Attributes.Outcome, result);
        activity.SetTag(Attributes.Stage, stage);
        if (outcome.Status == ToolCallStatus.Replayed)
        {
            activity.SetTag(Attributes.IdempotencyHit, true);
        }

        if (sensitive)
        {
            activity.SetTag(Attributes.Reason, outcome.Reason);
            if (outcome.Status is ToolCallStatus.Completed or ToolCallStatus.Replayed)
            {
                // The screened result: what the model reads, secrets already masked by governance, redacted once more.
                activity.SetTag(GenAI.ToolCallResult, TelemetryContent.Json(outcome.Result, context?.Policy.Redactor));
            }
        }

        if (outcome.Status == ToolCallStatus.Failed)
        {
            Fail(activity, outcome.Error?.GetType().FullName ?? "governance_error", sensitive ? outcome.Reason : null, sensitive ? outcome.Error : null);
        }
        else
        {
            // A denial is governance working, not a failure of the system; the MCP client may have marked the shared
            // span as an error for a call that governance then reported otherwise, so the status is ours to set.
            activity.SetStatus(ActivityStatusCode.Unset);
        }
    }

    /// <summary>The caller cancelled the call (it rethrows): the span ends as an error of type <paramref name="error"/>'s.</summary>
    public static void Cancelled(Activity? activity, in ToolCallFacts call, ToolCallContext context, Exception error, TelemetryOptions? options)
    {
        var decision = context.ExecutionStarted ? "allowed" : null;
        AppMetrics.RecordToolCall(call.Tool, call.Run?.Agent ?? "", decision, "cancelled", context.Stage);
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        var sensitive = options?.RecordSensitiveData == true;
        Describe(activity, call, context, sensitive);
        activity.SetTag(Attributes.Decision, decision);
        activity.SetTag(Attributes.Outcome, "cancelled");
        activity.SetTag(Attributes.Stage, context.Stage);
        Fail(activity, error.GetType().FullName!, null, sensitive ? error : null);
    }

    private static void Describe(Activity activity, in ToolCallFacts call, ToolCallContext? context, bool sensitive)
    {
        // The MCP client adds its own gen_ai.tool.name (the bare MCP name) and gen_ai.operation.name to this span when it
        // runs inside it; the governed name is the one policy, approvals and the audit know, so it is the one kept.
        SetOnly(activity, GenAI.OperationName, GenAI.ExecuteTool);
        SetOnly(activity, GenAI.ToolName, call.Tool);
        activity.SetTag(GenAI.ToolType, GenAI.Function);
        activity.SetTag(GenAI.ToolCallId, call.ToolCallId);
        if (call.Function?.Description is { Length: > 0 } description)
        {
            activity.SetTag(GenAI.ToolDescription, description);
        }

        if (call.Run is { } run)
        {
            activity.SetTag(GenAI.AgentName, run.Agent);
            activity.SetTag(GenAI.ConversationId, run.ConversationId);
            activity.SetTag(Attributes.RunId, run.RunId);
            activity.SetTag(Attributes.ParentToolCallId, run.ParentToolCallId);
            if (sensitive)
            {
                activity.SetTag(Attributes.Principal, run.Principal.Name);
            }
        }

        if (context is null)
        {
            return;
        }

        if (context.Notes.TryGetValue("approvalId", out var approvalId))
        {
            activity.SetTag(Attributes.ApprovalId, approvalId);
            activity.SetTag(Attributes.ApprovalDecision, context.Span?.ApprovalDecision);
        }

        if (context.IdempotencyKey is not null)
        {
            activity.SetTag(Attributes.IdempotencyHit, false);
        }

        activity.SetTag(Attributes.PinStatus, context.Span?.PinStatus);
        if (sensitive && context.TryGetArgumentsHash(out _, out _))
        {
            activity.SetTag(GenAI.ToolCallArguments, TelemetryContent.Json(context.ArgumentsJson, context.Policy.Redactor));
        }
    }

    private static void Fail(Activity activity, string errorType, string? description, Exception? error)
    {
        SetOnly(activity, Attributes.ErrorType, errorType);
        activity.SetStatus(ActivityStatusCode.Error, description ?? errorType);
        if (error is not null)
        {
            activity.AddException(error);
        }
    }

    /// <summary>Sets <paramref name="key"/> to exactly one value, dropping entries other instrumentation added with <c>AddTag</c>.</summary>
    private static void SetOnly(Activity activity, string key, object value)
    {
        while (activity.GetTagItem(key) is not null)
        {
            activity.SetTag(key, null);
        }

        activity.SetTag(key, value);
    }
}

/// <summary>What is known of a call before governance has a context for it (it may never get one).</summary>
internal readonly record struct ToolCallFacts(string Tool, Microsoft.Extensions.AI.AIFunction? Function, AgentRunContext? Run, string ToolCallId);
