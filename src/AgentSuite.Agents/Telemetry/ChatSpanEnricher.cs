using System.Diagnostics;
using System.Runtime.CompilerServices;
using AgentSuite.Governance;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using static AgentSuite.Governance.Telemetry.AgentSuiteTelemetry;

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
        Completed(span, response);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var span = ChatSpan();
        Started(span, messages);
        List<ChatResponseUpdate>? updates = span is null ? null : [];
        await foreach (var update in base.GetStreamingResponseAsync(messages, chatOptions, cancellationToken))
        {
            updates?.Add(update);
            yield return update;
        }

        if (updates is not null)
        {
            Completed(span, updates.ToChatResponse());
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

    private void Completed(Activity? span, ChatResponse response)
    {
        if (span is null)
        {
            return;
        }

        var calledTools = response.Messages.Any(m => m.Contents.OfType<FunctionCallContent>().Any());
        if (span.GetTagItem(GenAI.ResponseFinishReasons) is null)
        {
            span.SetTag(GenAI.ResponseFinishReasons, new[] { response.FinishReason?.Value ?? (calledTools ? ChatFinishReason.ToolCalls.Value : ChatFinishReason.Stop.Value) });
        }

        if (Sensitive)
        {
            span.SetTag(GenAI.OutputMessages, GenAIMessages.Output(response.Messages, GenAIMessages.FinishReason(response.FinishReason, calledTools), policies.Current.Redactor));
        }
    }
}
