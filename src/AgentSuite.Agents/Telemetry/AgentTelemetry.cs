using System.Diagnostics;
using AgentSuite.Governance;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using static AgentSuite.Governance.Telemetry.AgentSuiteTelemetry;

namespace AgentSuite.Agents.Telemetry;

/// <summary>
/// The <c>invoke_agent {agent}</c> span of an agent run and the <c>chat {model}</c> span of each model call, with the
/// GenAI client metrics (<c>gen_ai.client.operation.duration</c>, <c>gen_ai.client.token.usage</c>). The model is
/// instrumented here, in the tool loop; a fork that also adds Microsoft.Extensions.AI's OpenTelemetryChatClient to its
/// chat client gets a second chat span per call.
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

    public Activity? StartInvokeAgent(AgentDefinition agent, AgentRunContext run, ChatOptions options)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(ActivityKind.Internal, tags: CreationTags(GenAI.InvokeAgent, options.ModelId ?? DefaultModel), name: GenAI.InvokeAgent + " " + agent.Name);
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

    /// <summary>
    /// What the agent was given (content, so only when switched on): its instructions, and the conversation that
    /// follows them in <paramref name="messages"/>.
    /// </summary>
    public void AgentInput(Activity? activity, AgentDefinition agent, List<ChatMessage> messages)
    {
        if (activity is { IsAllDataRequested: true } && Sensitive)
        {
            var redactor = _policies.Current.Redactor;
            activity.SetTag(GenAI.SystemInstructions, GenAIMessages.Instructions(agent.Template, redactor));
            activity.SetTag(GenAI.InputMessages, GenAIMessages.Input(messages.Skip(1), redactor));
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

    /// <summary>Starts one model call's span (a child of the agent run) and its clock.</summary>
    public ChatCall StartChat(ChatOptions request, AgentRunContext run, IEnumerable<ChatMessage> messages)
    {
        var model = request.ModelId ?? DefaultModel;
        var started = AgentSuiteMetrics.OperationDuration.Enabled ? Stopwatch.GetTimestamp() : 0;
        if (!Source.HasListeners())
        {
            return new ChatCall(null, started, model);
        }

        var activity = Source.StartActivity(ActivityKind.Client, tags: CreationTags(GenAI.Chat, model), name: model is null ? GenAI.Chat : GenAI.Chat + " " + model);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(GenAI.AgentName, run.Agent);
            activity.SetTag(GenAI.ConversationId, run.ConversationId);
            activity.SetTag(GenAI.RequestTemperature, request.Temperature);
            activity.SetTag(GenAI.RequestMaxTokens, request.MaxOutputTokens);
            if (Sensitive)
            {
                activity.SetTag(GenAI.InputMessages, GenAIMessages.Input(messages, _policies.Current.Redactor));
            }
        }

        return new ChatCall(activity, started, model);
    }

    public void ChatCompleted(in ChatCall call, ChatResponse response)
    {
        RecordDuration(call, response.ModelId, errorType: null);
        RecordTokens(call, response);
        if (call.Activity is not { IsAllDataRequested: true } activity)
        {
            return;
        }

        var calledTools = response.Messages.Any(m => m.Contents.OfType<FunctionCallContent>().Any());
        activity.SetTag(GenAI.ResponseId, response.ResponseId);
        activity.SetTag(GenAI.ResponseModel, response.ModelId);
        activity.SetTag(GenAI.ResponseFinishReasons, new[] { response.FinishReason?.Value ?? GenAIMessages.FinishReason(null, calledTools) });
        SetUsage(activity, response.Usage);
        if (Sensitive)
        {
            activity.SetTag(GenAI.OutputMessages, GenAIMessages.Output(response.Messages, GenAIMessages.FinishReason(response.FinishReason, calledTools), _policies.Current.Redactor));
        }
    }

    public void ChatFailed(in ChatCall call, Exception error)
    {
        RecordDuration(call, null, error.GetType().FullName);
        Failed(call.Activity, error);
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

    private void RecordDuration(in ChatCall call, string? responseModel, string? errorType)
    {
        if (call.Started == 0 || !AgentSuiteMetrics.OperationDuration.Enabled)
        {
            return;
        }

        var tags = Tags(call, responseModel);
        if (errorType is not null)
        {
            tags.Add(Attributes.ErrorType, errorType);
        }

        AgentSuiteMetrics.OperationDuration.Record(Stopwatch.GetElapsedTime(call.Started).TotalSeconds, tags);
    }

    private void RecordTokens(in ChatCall call, ChatResponse response)
    {
        if (!AgentSuiteMetrics.TokenUsage.Enabled || response.Usage is not { } usage)
        {
            return;
        }

        foreach (var (type, count) in new[] { (GenAI.Input, usage.InputTokenCount), (GenAI.Output, usage.OutputTokenCount) })
        {
            if (count is { } tokens)
            {
                var tags = Tags(call, response.ModelId);
                tags.Add(GenAI.TokenType, type);
                AgentSuiteMetrics.TokenUsage.Record(tokens, tags);
            }
        }
    }

    private TagList Tags(in ChatCall call, string? responseModel)
    {
        var tags = new TagList
        {
            { GenAI.OperationName, GenAI.Chat },
            { GenAI.ProviderName, Provider },
        };
        if (call.Model is not null)
        {
            tags.Add(GenAI.RequestModel, call.Model);
        }

        if (responseModel is not null)
        {
            tags.Add(GenAI.ResponseModel, responseModel);
        }

        return tags;
    }
}

/// <summary>One model call in flight: its span (if recorded), its start (if timed) and the model asked for.</summary>
internal readonly record struct ChatCall(Activity? Activity, long Started, string? Model);
