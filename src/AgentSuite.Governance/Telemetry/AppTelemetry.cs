using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AgentSuite.Governance.Telemetry;

/// <summary>
/// The one <see cref="ActivitySource"/> and one <see cref="Meter"/> of AgentSuite, both named <see cref="Name"/>, and the
/// attribute names its spans and metrics use: <c>gen_ai.*</c> as the OpenTelemetry GenAI semantic conventions name
/// them, governance facts under <c>agentsuite.*</c>. docs/observability.md lists what each span carries.
/// </summary>
public static class AppTelemetry
{
    public const string Name = "AgentSuite";

    public static readonly ActivitySource Source = new(Name, Version);

    public static readonly Meter Meter = new(Name, Version);

    private const string Version = "1.0";

    /// <summary>Attribute names and values from the OpenTelemetry GenAI semantic conventions.</summary>
    public static class GenAI
    {
        public const string OperationName = "gen_ai.operation.name";
        public const string ProviderName = "gen_ai.provider.name";
        public const string ConversationId = "gen_ai.conversation.id";
        public const string AgentName = "gen_ai.agent.name";
        public const string AgentDescription = "gen_ai.agent.description";
        public const string RequestModel = "gen_ai.request.model";
        public const string ResponseFinishReasons = "gen_ai.response.finish_reasons";
        public const string UsageInputTokens = "gen_ai.usage.input_tokens";
        public const string UsageOutputTokens = "gen_ai.usage.output_tokens";
        public const string ToolName = "gen_ai.tool.name";
        public const string ToolDescription = "gen_ai.tool.description";
        public const string ToolType = "gen_ai.tool.type";
        public const string ToolCallId = "gen_ai.tool.call.id";

        // Content: recorded only when AgentSuite:Telemetry:RecordSensitiveData is on.
        public const string InputMessages = "gen_ai.input.messages";
        public const string OutputMessages = "gen_ai.output.messages";
        public const string SystemInstructions = "gen_ai.system_instructions";
        public const string ToolCallArguments = "gen_ai.tool.call.arguments";
        public const string ToolCallResult = "gen_ai.tool.call.result";

        public const string InvokeAgent = "invoke_agent";
        public const string Chat = "chat";
        public const string ExecuteTool = "execute_tool";
        public const string Function = "function";

        /// <summary>The provider value when the chat client does not name one (<c>ChatClientMetadata.ProviderName</c>).</summary>
        public const string OtherProvider = "_OTHER";
    }

    /// <summary>AgentSuite's own attributes: governance decisions and the ids that join a span to the audit log.</summary>
    public static class Attributes
    {
        public const string RunId = "agentsuite.run.id";
        public const string ParentToolCallId = "agentsuite.parent_tool_call.id";
        public const string Decision = "agentsuite.governance.decision";
        public const string Stage = "agentsuite.governance.stage";
        public const string Outcome = "agentsuite.outcome";
        public const string ApprovalId = "agentsuite.approval.id";
        public const string ApprovalDecision = "agentsuite.approval.decision";
        public const string IdempotencyHit = "agentsuite.idempotency.hit";
        public const string PinStatus = "agentsuite.tool.pin.status";
        public const string ErrorType = "error.type";

        // Recorded only when AgentSuite:Telemetry:RecordSensitiveData is on: a person's name, and free text that can
        // quote arguments, approvers' comments and tools' messages.
        public const string Principal = "agentsuite.principal";
        public const string Reason = "agentsuite.governance.reason";
    }
}
