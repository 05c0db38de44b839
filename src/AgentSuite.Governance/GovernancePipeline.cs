using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentSuite.Governance;

/// <summary>
/// Runs a tool call through the ordered filters and then the tool. The runner itself guarantees the rules no single
/// filter can: a call with no attributable run is denied; an invalid policy denies; any exception in a filter denies
/// (or, if the tool already ran, withholds the result); and every outcome that no filter audited is audited here.
/// Every call, denied ones included, is one <c>execute_tool</c> span (docs/observability.md) around all of that.
/// </summary>
public sealed class GovernancePipeline
{
    private readonly ToolCallDelegate _chain;
    private readonly GovernancePolicyProvider _policies;
    private readonly IAuditStore _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<GovernancePipeline> _logger;
    private readonly IOptionsMonitor<TelemetryOptions>? _telemetry;

    public GovernancePipeline(IEnumerable<IToolCallFilter> filters, GovernancePolicyProvider policies, IAuditStore audit, TimeProvider time, ILogger<GovernancePipeline> logger, IOptionsMonitor<TelemetryOptions>? telemetry = null)
    {
        _policies = policies;
        _audit = audit;
        _time = time;
        _logger = logger;
        _telemetry = telemetry;
        var ordered = filters.ToList();
        Stages = ordered.Select(f => f.Name).ToList();

        // Built once: each filter's "next" is a fixed delegate, so a call allocates no closures for the chain.
        ToolCallDelegate next = ExecuteAsync;
        for (var i = ordered.Count - 1; i >= 0; i--)
        {
            var filter = ordered[i];
            var inner = next;

            // Back in a filter after the inner steps returned, a failure is that filter's, not the innermost one's.
            ToolCallDelegate innerThenRestore = context =>
            {
                var pending = inner(context);
                if (!pending.IsCompletedSuccessfully)
                {
                    return RestoreStageAfter(pending, context, filter.Name);
                }

                context.Stage = filter.Name;
                return pending;
            };
            next = context =>
            {
                context.Stage = filter.Name;
                return filter.OnToolCallAsync(context, innerThenRestore);
            };
        }

        _chain = next;
    }

    /// <summary>The filters in the order a call meets them.</summary>
    public IReadOnlyList<string> Stages { get; }

    public ValueTask<ToolCallOutcome> InvokeAsync(GovernedTool tool, AIFunctionArguments arguments, CancellationToken cancellationToken = default) =>
        InvokeAsync(tool, arguments, execute: null, cancellationToken);

    /// <summary>
    /// Governs a call whose last step, once every filter has allowed it, is <paramref name="execute"/> rather than the
    /// tool's inner function: a runtime that invokes functions itself (Semantic Kernel's filter calls <c>next</c>) keeps
    /// doing so, and governance still decides whether it happens and records what came of it.
    /// </summary>
    public async ValueTask<ToolCallOutcome> InvokeAsync(GovernedTool tool, AIFunctionArguments arguments, Func<ToolCallContext, ValueTask<object?>>? execute, CancellationToken cancellationToken = default)
    {
        // The invoking loop's execute_tool span is this call's when the loop is calling this very tool (or a runtime
        // that runs the function itself governs it from inside that span); another tool's span is never taken over.
        var activity = execute is not null || InvokingLoopIsCalling(tool)
            ? ToolCallTelemetry.StartOrAdopt(tool.SpanName, out var adopted)
            : ToolCallTelemetry.Start(tool.SpanName, out adopted);
        using var owned = adopted ? null : activity;
        var run = arguments.GetRun() ?? AgentRunContext.Current;
        var toolCallId = arguments.GetToolCallId() ?? CallIdFromInvokingLoop(tool, run) ?? "call_" + Guid.NewGuid().ToString("N");
        if (run is null)
        {
            const string reason = "The call carries no agent run (conversation, agent, principal), so it cannot be attributed and was not run.";
            await TryAuditAsync(new AuditEntry(GovernanceEventTypes.ToolDecision, _time.GetUtcNow())
            {
                Tool = tool.Descriptor.Identity.Key,
                ToolCallId = toolCallId,
                Decision = "denied",
                Reason = reason,
            });
            var unattributed = ToolCallOutcome.Denied("attribution", reason);
            ToolCallTelemetry.Finish(activity, new ToolCallFacts(tool.Descriptor.Identity.Key, tool, run, toolCallId), null, unattributed, Telemetry(activity));
            return unattributed;
        }

        var policy = _policies.Current;
        SupplyIdempotencyKey(tool, arguments, run, toolCallId, policy);
        var context = new ToolCallContext(run, toolCallId, tool, arguments, policy, cancellationToken) { Span = ToolCallSpan.For(activity), Executor = execute };
        Publish(context, GovernanceEventTypes.ToolRequested, null, null);

        ToolCallOutcome outcome;
        var withheld = false;
        try
        {
            outcome = context.Policy.Error is { } error
                ? ToolCallOutcome.Denied("policy", error)
                : !context.TryGetArgumentsHash(out _, out var malformed)
                    ? ToolCallOutcome.Denied("arguments", $"The arguments cannot be read as one JSON object: {malformed}")
                    : await _chain(context);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            if (!context.OutcomeAudited)
            {
                await TryAuditAsync(ToolCallAudit.Entry(context, GovernanceEventTypes.ToolFailed, "cancelled", "The caller cancelled the call.", _time.GetUtcNow(), withArguments: false, context.Stage));
            }

            ToolCallTelemetry.Cancelled(activity, new ToolCallFacts(tool.Descriptor.Identity.Key, tool, run, toolCallId), context, ex, Telemetry(activity));
            throw;
        }
        catch (AgentSuite.Governance.Conversations.TurnLeaseLostException ex)
        {
            // Another instance runs the turn now (this one's lease expired): nothing more is decided or recorded here,
            // but the span still ends with why the call stopped.
            ToolCallTelemetry.Cancelled(activity, new ToolCallFacts(tool.Descriptor.Identity.Key, tool, run, toolCallId), context, ex, Telemetry(activity));
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Governance error in {Stage} for {Tool} ({ToolCallId})", context.Stage, context.Tool, context.ToolCallId);
            withheld = context.ExecutionStarted;
            outcome = context.ExecutionStarted
                ? ToolCallOutcome.Failed($"A governance error in '{context.Stage}' happened after the tool ran; its result is withheld: {ex.Message}", stage: context.Stage)
                : ToolCallOutcome.Denied(context.Stage, $"A governance error in '{context.Stage}' stopped the call before it ran: {ex.Message}");
        }

        // A result withheld after "completed" was recorded gets a second entry, so the log matches what the caller got.
        if (!context.OutcomeAudited || withheld)
        {
            outcome = await AuditUnrecordedAsync(context, outcome);
        }

        PublishOutcome(context, outcome);
        ToolCallTelemetry.Finish(activity, new ToolCallFacts(tool.Descriptor.Identity.Key, tool, run, toolCallId), context, outcome, Telemetry(activity));
        return outcome;
    }

    /// <summary>
    /// A side-effecting tool that takes an idempotency key (an argument named in <c>Idempotency:KeyArguments</c>) gets one
    /// from governance when the model sent none: the conversation, run and call ids, the same every time this call is
    /// governed (a retry, or its turn resumed after a crash), so the tool's own deduplication holds as governance's does.
    /// </summary>
    private static void SupplyIdempotencyKey(GovernedTool tool, AIFunctionArguments arguments, AgentRunContext run, string toolCallId, Configuration.GovernancePolicy policy)
    {
        if (tool.Descriptor.Annotations.IsReadOnly || tool.Inner.JsonSchema.ValueKind != JsonValueKind.Object
            || !tool.Inner.JsonSchema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var name in policy.Options.Idempotency.EffectiveKeyArguments)
        {
            if (!properties.TryGetProperty(name, out _))
            {
                continue;
            }

            arguments.TryGetValue(name, out var value);
            var given = value switch
            {
                string text => text,
                JsonElement { ValueKind: JsonValueKind.String } text => text.GetString(),
                JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => null,
                null => null,
                _ => "(not a string)",
            };
            if (string.IsNullOrWhiteSpace(given))
            {
                arguments[name] = $"{run.ConversationId}/{run.RunId}/{toolCallId}";
            }

            return;
        }
    }

    /// <summary>
    /// The model's id for this call when M.E.AI's tool loop (<see cref="FunctionInvokingChatClient"/>, which Agent
    /// Framework's <c>ChatClientAgent</c> runs) is invoking this very tool, prefixed for a specialist as
    /// <see cref="AgentRunContext.ToolCallIdFor"/> does; such hosts pass no id in the arguments.
    /// </summary>
    private static string? CallIdFromInvokingLoop(GovernedTool tool, AgentRunContext? run) =>
        FunctionInvokingChatClient.CurrentContext is { CallContent.CallId: { Length: > 0 } callId } && InvokingLoopIsCalling(tool)
            ? run?.ToolCallIdFor(callId) ?? callId
            : null;

    private static bool InvokingLoopIsCalling(GovernedTool tool) =>
        FunctionInvokingChatClient.CurrentContext is { } invoking && ReferenceEquals(invoking.Function.GetService<GovernedTool>(), tool);

    /// <summary>
    /// Denies and audits a call to a tool the agent does not have (a name the model invented), so it is on the record
    /// and the model is told.
    /// </summary>
    public ValueTask<ToolCallOutcome> DenyUnknownToolAsync(AgentRunContext run, string requestedName, string toolCallId, CancellationToken cancellationToken = default) =>
        DenyCallAsync(run, requestedName, toolCallId, "unknown-tool", $"No tool named '{requestedName}' is available to agent '{run.Agent}'.", cancellationToken);

    /// <summary>Denies and audits a call that cannot even enter the pipeline (e.g. arguments that are not JSON).</summary>
    public async ValueTask<ToolCallOutcome> DenyCallAsync(AgentRunContext run, string tool, string toolCallId, string stage, string reason, CancellationToken cancellationToken = default)
    {
        var activity = ToolCallTelemetry.StartOrAdoptFor(tool, out var adopted);
        using var owned = adopted ? null : activity;
        await TryAuditAsync(new AuditEntry(GovernanceEventTypes.ToolDecision, _time.GetUtcNow())
        {
            ConversationId = run.ConversationId,
            RunId = run.RunId,
            Agent = run.Agent,
            Principal = run.Principal.Name,
            Tool = tool,
            ToolCallId = toolCallId,
            Decision = "denied",
            Reason = reason,
            Data = System.Text.Json.JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["stage"] = stage }),
        });
        run.Events?.Publish(new GovernanceEvent(GovernanceEventTypes.ToolDecision, run.Agent, tool, toolCallId, _time.GetUtcNow()) { Decision = "denied", Reason = reason });
        var outcome = ToolCallOutcome.Denied(stage, reason);
        ToolCallTelemetry.Finish(activity, new ToolCallFacts(tool, null, run, toolCallId), null, outcome, Telemetry(activity));
        return outcome;
    }

    /// <summary>The telemetry switches, read only for a span that is recorded.</summary>
    private TelemetryOptions? Telemetry(System.Diagnostics.Activity? activity) =>
        activity is { IsAllDataRequested: true } ? _telemetry?.CurrentValue : null;

    private void Publish(ToolCallContext context, string type, string? decision, string? reason) =>
        ToolCallEvents.Publish(context, _time.GetUtcNow(), type, decision, reason);

    private static async ValueTask<ToolCallOutcome> RestoreStageAfter(ValueTask<ToolCallOutcome> pending, ToolCallContext context, string stage)
    {
        var outcome = await pending;
        context.Stage = stage;
        return outcome;
    }

    private static async ValueTask<ToolCallOutcome> ExecuteAsync(ToolCallContext context)
    {
        // The fence before a side effect: a lost lease stops the call before it starts, so its idempotency key is released.
        if (!context.Annotations.IsReadOnly && context.Run.HoldLease is { } holdLease)
        {
            await holdLease(context.CancellationToken);
        }

        context.ExecutionStarted = true;
        try
        {
            var result = context.Executor is { } execute
                ? await execute(context)
                : await context.Function.InvokeAsync(context.Arguments, context.CancellationToken);
            return ToolCallOutcome.Completed(result);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return ToolCallOutcome.Failed(ex.Message, ex, "tool");
        }
    }

    private async ValueTask<ToolCallOutcome> AuditUnrecordedAsync(ToolCallContext context, ToolCallOutcome outcome)
    {
        var (kind, decision) = outcome.Status switch
        {
            ToolCallStatus.Denied => (GovernanceEventTypes.ToolDecision, "denied"),
            ToolCallStatus.Replayed => (GovernanceEventTypes.ToolReplayed, "replayed"),
            ToolCallStatus.Failed => (GovernanceEventTypes.ToolFailed, "failed"),
            _ => (GovernanceEventTypes.ToolCompleted, "completed"),
        };
        var entry = ToolCallAudit.Entry(context, kind, decision, outcome.Reason, _time.GetUtcNow(), withArguments: outcome.Status == ToolCallStatus.Denied, outcome.Stage);
        if (await TryAuditAsync(entry))
        {
            context.OutcomeAudited = true;
            return outcome;
        }

        // Nothing leaves governance unrecorded: a result we could not audit is withheld.
        return outcome.Status == ToolCallStatus.Denied
            ? ToolCallOutcome.Denied(outcome.Stage ?? "audit", outcome.Reason + " (The audit log could not record this denial.)")
            : ToolCallOutcome.Failed("The audit log is unavailable, so the result is withheld.", stage: "audit");
    }

    private void PublishOutcome(ToolCallContext context, ToolCallOutcome outcome)
    {
        switch (outcome.Status)
        {
            case ToolCallStatus.Denied:
                Publish(context, GovernanceEventTypes.ToolDecision, "denied", outcome.Reason);
                break;
            case ToolCallStatus.Failed:
                Publish(context, GovernanceEventTypes.ToolFailed, "failed", outcome.Reason);
                break;
            default:
                Publish(context, GovernanceEventTypes.ToolCompleted, outcome.Status == ToolCallStatus.Replayed ? "replayed" : "completed", null);
                break;
        }
    }

    private async ValueTask<bool> TryAuditAsync(AuditEntry entry)
    {
        try
        {
            await _audit.AppendAsync(entry, CancellationToken.None);
            return true;
        }
        catch (Exception ex)
        {
            _logger.LogCritical(ex, "The audit log could not record {Kind} for {Tool} ({ToolCallId})", entry.Kind, entry.Tool, entry.ToolCallId);
            return false;
        }
    }
}
