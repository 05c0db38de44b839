using System.Text.Json;
using AgentSuite.Governance.Configuration;
using Microsoft.Extensions.AI;

namespace AgentSuite.Governance;

/// <summary>
/// Everything governance knows about one tool call. Created once per call by <see cref="GovernedTool"/>; the arguments
/// are copied so that what was checked, approved and hashed is exactly what runs.
/// </summary>
public sealed class ToolCallContext
{
    private JsonElement? _argumentsJson;
    private string? _argumentsHash;
    private Dictionary<string, string>? _notes;

    public ToolCallContext(
        AgentRunContext run,
        string toolCallId,
        GovernedTool tool,
        AIFunctionArguments arguments,
        GovernancePolicy policy,
        CancellationToken cancellationToken)
    {
        Run = run;
        ToolCallId = toolCallId;
        GovernedTool = tool;
        Policy = policy;
        CancellationToken = cancellationToken;
        Arguments = new AIFunctionArguments(arguments) { Services = arguments.Services, Context = arguments.Context };
    }

    public AgentRunContext Run { get; }

    public string ConversationId => Run.ConversationId;

    public string RunId => Run.RunId;

    public string Agent => Run.Agent;

    public Principal Principal => Run.Principal;

    public string ToolCallId { get; }

    public GovernedTool GovernedTool { get; }

    /// <summary>The tool as policy names it: <c>server/tool</c>.</summary>
    public ToolIdentity Tool => GovernedTool.Descriptor.Identity;

    public ToolAnnotations Annotations => GovernedTool.Descriptor.Annotations;

    /// <summary>The function that actually runs (an MCP client tool, an agent, an in-process function).</summary>
    public AIFunction Function => GovernedTool.Inner;

    public AIFunctionArguments Arguments { get; }

    /// <summary>The policy in force when the call started; one call never sees two versions of the rules.</summary>
    public GovernancePolicy Policy { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>The arguments as one JSON object (what schema checks, conditions and hashing read).</summary>
    public JsonElement ArgumentsJson => _argumentsJson ??= BuildArgumentsJson();

    /// <summary>SHA-256 of the canonical arguments; approvals and idempotency records are bound to it.</summary>
    public string ArgumentsHash => _argumentsHash ??= CanonicalJson.Sha256(ArgumentsJson);

    /// <summary>The arguments hash, or why the arguments cannot be hashed (e.g. a duplicate property name).</summary>
    public bool TryGetArgumentsHash(out string hash, out string error)
    {
        try
        {
            (hash, error) = (ArgumentsHash, "");
            return true;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            (hash, error) = ("", ex.Message);
            return false;
        }
    }

    /// <summary>Set by the idempotency filter when the call is deduplicated.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>Set by the approval filter when a human approved this exact call.</summary>
    public string? ApprovalId { get; set; }

    /// <summary>The call's <c>execute_tool</c> span when a listener records it; filters add their facts to it.</summary>
    internal Telemetry.ToolCallSpan? Span { get; init; }

    /// <summary>What runs the call once allowed, when the host's runtime invokes the function itself.</summary>
    internal Func<ToolCallContext, ValueTask<object?>>? Executor { get; init; }

    /// <summary>Whether this call was under way when its turn was suspended by a crash (see <see cref="ToolCallResumption"/>).</summary>
    public ToolCallResumption Resumption => Arguments.GetResumption();

    /// <summary>True once the tool itself has been started; after that a failure cannot be treated as "did not run".</summary>
    public bool ExecutionStarted { get; internal set; }

    /// <summary>True once the outcome (completed, failed) has been written to the audit log by a filter.</summary>
    public bool OutcomeAudited { get; set; }

    /// <summary>The filter currently deciding; names the stage of a governance error.</summary>
    public string Stage { get; internal set; } = "pipeline";

    /// <summary>Facts filters add for the audit entry (e.g. the pin hash, the idempotency key).</summary>
    public IReadOnlyDictionary<string, string> Notes => _notes ?? (IReadOnlyDictionary<string, string>)EmptyNotes.Instance;

    public void AddNote(string name, string value) => (_notes ??= new(StringComparer.Ordinal))[name] = value;

    private JsonElement BuildArgumentsJson()
    {
        // Model-supplied arguments are already JSON elements; write them as they are instead of serializing a dictionary.
        var scratch = JsonScratch.Get(JsonScratch.Slot.Arguments);
        var w = scratch.Writer;
        w.WriteStartObject();
        foreach (var (name, value) in Arguments)
        {
            w.WritePropertyName(name);
            if (value is JsonElement element)
            {
                element.WriteTo(w);
            }
            else
            {
                JsonSerializer.Serialize(w, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value?.GetType() ?? typeof(object)));
            }
        }

        w.WriteEndObject();
        return scratch.ToElement();
    }

    private static class EmptyNotes
    {
        public static readonly Dictionary<string, string> Instance = new();
    }
}
