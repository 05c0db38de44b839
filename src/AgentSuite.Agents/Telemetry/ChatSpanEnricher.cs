using System.Diagnostics;
using System.Runtime.CompilerServices;
using AgentSuite.Governance;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using static AgentSuite.Governance.Telemetry.AppTelemetry;

namespace AgentSuite.Agents.Telemetry;

/// <summary>
/// Runs inside Microsoft.Extensions.AI's <c>chat {model}</c> span and adds what only the product knows: the agent and
/// conversation, a finish reason when the provider gave none, and, only when <c>Telemetry:RecordSensitiveData</c> is on,
/// the messages sent and received after the governance redactor (the OpenTelemetry client's own content recording stays
/// off, since it would record them unredacted).
/// </summary>
internal sealed class ChatSpanEnricher(IChatClient inner, GovernancePolicyProvider policies, IOptionsMonitor<TelemetryOptions> options) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, CancellationToken cancellationToken = default)
    {
        var span = ChatSpan();
        Started(span, messages);
        var response = await base.GetResponseAsync(messages, chatOptions, cancellationToken);
        if (span is not null)
        {
            Completed(span, response.FinishReason, response.Messages.Any(m => m.Contents.OfType<FunctionCallContent>().Any()), response);
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var span = ChatSpan();
        Started(span, messages);

        // The whole response is assembled only when its content is recorded; the finish reason needs less.
        List<ChatResponseUpdate>? updates = span is not null && Sensitive ? [] : null;
        ChatFinishReason? finish = null;
        var calledTools = false;
        await foreach (var update in base.GetStreamingResponseAsync(messages, chatOptions, cancellationToken))
        {
            updates?.Add(update);
            finish = update.FinishReason ?? finish;
            calledTools = calledTools || update.Contents.Any(c => c is FunctionCallContent);
            yield return update;
        }

        if (span is not null)
        {
            Completed(span, finish, calledTools, updates?.ToChatResponse());
        }
    }

    private bool Sensitive => options.CurrentValue.RecordSensitiveData;

    private static Activity? ChatSpan() =>
        Activity.Current is { IsAllDataRequested: true } current && current.Source.Name == Name && current.GetTagItem(GenAI.OperationName) is GenAI.Chat
            ? current
            : null;

    private void Started(Activity? span, IEnumerable<ChatMessage> messages)
    {
        if (span is null)
        {
            return;
        }

        if (AgentRunContext.Current is { } run)
        {
            span.SetTag(GenAI.AgentName, run.Agent);
            span.SetTag(GenAI.ConversationId, run.ConversationId);
        }

        if (Sensitive)
        {
            span.SetTag(GenAI.InputMessages, GenAIMessages.Input(messages, policies.Current.Redactor));
        }
    }

    private void Completed(Activity span, ChatFinishReason? finish, bool calledTools, ChatResponse? response)
    {
        if (span.GetTagItem(GenAI.ResponseFinishReasons) is null)
        {
            span.SetTag(GenAI.ResponseFinishReasons, new[] { finish?.Value ?? (calledTools ? ChatFinishReason.ToolCalls.Value : ChatFinishReason.Stop.Value) });
        }

        if (response is not null && Sensitive)
        {
            span.SetTag(GenAI.OutputMessages, GenAIMessages.Output(response.Messages, GenAIMessages.FinishReason(finish, calledTools), policies.Current.Redactor));
        }
    }
}
