using System.Diagnostics;
using AgentSuite.Governance;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using static AgentSuite.Governance.Telemetry.AppTelemetry;

namespace AgentSuite.Agents.Telemetry;

/// <summary>
/// The <c>invoke_agent {agent}</c> span of an agent run. Model calls are Microsoft.Extensions.AI's <c>chat {model}</c>
/// spans and tool calls the function-invoking client's <c>execute_tool</c> spans, which governance completes.
/// </summary>
internal sealed class AgentTelemetry
{
    private readonly GovernancePolicyProvider _policies;
    private readonly IOptionsMonitor<TelemetryOptions> _options;

    public AgentTelemetry(IChatClient chat, GovernancePolicyProvider policies, IOptionsMonitor<TelemetryOptions> options)
    {
        _policies = policies;
        _options = options;
        var metadata = chat.GetService<ChatClientMetadata>();
        Provider = metadata?.ProviderName is { Length: > 0 } provider ? provider : GenAI.OtherProvider;
        DefaultModel = metadata?.DefaultModelId;
    }

    /// <summary><c>gen_ai.provider.name</c>: the chat client's <see cref="ChatClientMetadata.ProviderName"/>.</summary>
    public string Provider { get; }

    public string? DefaultModel { get; }

    private bool Sensitive => _options.CurrentValue.RecordSensitiveData;

    public Activity? StartInvokeAgent(AgentDefinition agent, AgentRunContext run, string? model)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(ActivityKind.Internal, tags: CreationTags(GenAI.InvokeAgent, model ?? DefaultModel), name: GenAI.InvokeAgent + " " + agent.Name);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(GenAI.AgentName, agent.Name);
            activity.SetTag(GenAI.AgentDescription, agent.Description);
            activity.SetTag(GenAI.ConversationId, run.ConversationId);
            activity.SetTag(Attributes.RunId, run.RunId);
            activity.SetTag(Attributes.ParentToolCallId, run.ParentToolCallId);
            if (Sensitive)
            {
                activity.SetTag(Attributes.Principal, run.Principal.Name);
            }
        }

        return activity;
    }

    /// <summary>True when <paramref name="activity"/> records content (the sensitive-data switch is on).</summary>
    public bool RecordsContent(Activity? activity) => activity is { IsAllDataRequested: true } && Sensitive;

    /// <summary>What the agent was given (content, so only when switched on): its rendered instructions and the conversation.</summary>
    public void AgentInput(Activity? activity, string instructions, IEnumerable<Microsoft.SemanticKernel.ChatMessageContent> conversation)
    {
        if (activity is not null && RecordsContent(activity))
        {
            var redactor = _policies.Current.Redactor;
            activity.SetTag(GenAI.SystemInstructions, GenAIMessages.Instructions(instructions, redactor));
            activity.SetTag(GenAI.InputMessages, GenAIMessages.Input(conversation.Select(m => new ChatMessage(new ChatRole(m.Role.Label), m.Content)), redactor));
        }
    }

    public void AgentCompleted(Activity? activity, AgentRunResult result)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        SetUsage(activity, result.Usage);
        if (Sensitive)
        {
            var answer = new ChatMessage(ChatRole.Assistant, result.Text);
            activity.SetTag(GenAI.OutputMessages, GenAIMessages.Output([answer], "stop", _policies.Current.Redactor));
        }
    }

    public void Failed(Activity? activity, Exception error)
    {
        if (activity is { IsAllDataRequested: true })
        {
            var type = error.GetType().FullName!;
            activity.SetTag(Attributes.ErrorType, type);
            activity.SetStatus(ActivityStatusCode.Error, Sensitive ? error.Message : type);
            if (Sensitive)
            {
                activity.AddException(error);
            }
        }
    }

    // Given at creation so samplers can see them (the conventions ask for operation, provider and model then).
    private KeyValuePair<string, object?>[] CreationTags(string operation, string? model) => model is null
        ? [new(GenAI.OperationName, operation), new(GenAI.ProviderName, Provider)]
        : [new(GenAI.OperationName, operation), new(GenAI.ProviderName, Provider), new(GenAI.RequestModel, model)];

    private static void SetUsage(Activity activity, UsageDetails? usage)
    {
        activity.SetTag(GenAI.UsageInputTokens, usage?.InputTokenCount);
        activity.SetTag(GenAI.UsageOutputTokens, usage?.OutputTokenCount);
    }
}
