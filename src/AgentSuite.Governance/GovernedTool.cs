using System.Runtime.ExceptionServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Governance;

/// <summary>
/// Any <see cref="AIFunction"/> (an MCP client tool, an agent exposed as a tool, an in-process function) behind the
/// governance pipeline. To the model it is the same tool; invoking it runs every filter first. A denial comes back to
/// the model as a result that says why; a tool failure is rethrown as the tool threw it. <c>GetService</c> still finds
/// the inner function (and an <see cref="ApprovalRequiredAIFunction"/> wrapper), as <see cref="DelegatingAIFunction"/> does.
/// </summary>
public sealed class GovernedTool : DelegatingAIFunction
{
    private readonly GovernancePipeline _pipeline;

    public GovernedTool(AIFunction inner, ToolDescriptor descriptor, GovernancePipeline pipeline)
        : base(inner)
    {
        Descriptor = descriptor;
        _pipeline = pipeline;
        DefinitionHash = ToolDefinition.Hash(inner, descriptor.Annotations);
        Definition = ToolDefinition.Json(inner, descriptor.Annotations);
        InnerRequiresApproval = inner.GetService<ApprovalRequiredAIFunction>() is not null;
        SpanName = Telemetry.ToolCallTelemetry.SpanName(descriptor.Identity.Key);
    }

    public ToolDescriptor Descriptor { get; }

    /// <summary>The pinned fingerprint of the inner tool's name, description and schema.</summary>
    public string DefinitionHash { get; }

    /// <summary>What <see cref="DefinitionHash"/> is the hash of, as canonical JSON (kept with the pin to show a change).</summary>
    public string Definition { get; }

    public override string Name => Descriptor.ModelName ?? base.Name;

    /// <summary>True when the inner function asks its invoker for approval (<see cref="ApprovalRequiredAIFunction"/>).</summary>
    public bool InnerRequiresApproval { get; }

    /// <summary>The name of this tool's <c>execute_tool</c> span, built once rather than on every call.</summary>
    internal string SpanName { get; }

    /// <summary>The function governance runs once every filter has allowed the call.</summary>
    public AIFunction Inner => InnerFunction;

    /// <summary>Runs the call through governance and returns what happened, for loops that report decisions.</summary>
    public ValueTask<ToolCallOutcome> InvokeGovernedAsync(AIFunctionArguments arguments, CancellationToken cancellationToken = default) =>
        _pipeline.InvokeAsync(this, arguments, cancellationToken);

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        var outcome = await _pipeline.InvokeAsync(this, arguments, cancellationToken);
        switch (outcome.Status)
        {
            case ToolCallStatus.Completed:
            case ToolCallStatus.Replayed:
                return outcome.Result;
            case ToolCallStatus.Denied:
                return DenialResult(Descriptor.Identity, outcome);
            default:
                if (outcome.Error is not null)
                {
                    ExceptionDispatchInfo.Throw(outcome.Error);
                }

                throw new InvalidOperationException(outcome.Reason);
        }
    }

    // What the model reads stays readable: apostrophes and non-ASCII text are not turned into \u escapes.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What the model reads when governance refuses a call: plain facts it can act on.</summary>
    public static JsonElement DenialResult(ToolIdentity tool, ToolCallOutcome outcome) => DenialResult(tool.Key, outcome);

    /// <summary>The same for a call that named no known tool (the name as the model gave it).</summary>
    public static JsonElement DenialResult(string tool, ToolCallOutcome outcome) => StatusResult("denied", tool, outcome.Stage, outcome.Reason);

    /// <summary>What the model reads when a tool failed: the tool's own message.</summary>
    public static JsonElement FailureResult(string tool, ToolCallOutcome outcome) => StatusResult("failed", tool, outcome.Stage, outcome.Reason);

    private static JsonElement StatusResult(string status, string tool, string? stage, string? reason) =>
        JsonSerializer.SerializeToElement(
            new Dictionary<string, string?> { ["status"] = status, ["tool"] = tool, ["stage"] = stage, ["reason"] = reason },
            Readable);
}
