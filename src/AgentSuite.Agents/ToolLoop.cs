using AgentSuite.Agents.Telemetry;
using AgentSuite.Governance;
using Microsoft.Extensions.AI;

namespace AgentSuite.Agents;

/// <summary>
/// The loop between a model and its tools: ask the model, run the tools it asks for (serially, each through
/// governance), feed the results back, until it answers in text. On the last allowed iteration tools are withdrawn.
/// A denial is an answer the model reads and reacts to; only failures count toward the consecutive-error limit.
/// <para>
/// A call to a tool of the agent's servers that it was not offered (its allow-list forbids it) still goes through
/// governance, so the allow-list denies it with its own reason and the audit shows what the model tried. A name that
/// is no tool of the agent at all is denied as <c>unknown-tool</c>.
/// </para>
/// <para>
/// Governance and the audit see each call under <see cref="AgentRunContext.ToolCallIdFor"/>: a specialist's ids are
/// prefixed with the hand-off's, so ids are unique across the run even when models number their calls from 1.
/// </para>
/// </summary>
public sealed class ToolLoop
{
    private readonly GovernancePipeline _pipeline;
    private readonly ToolLoopOptions _options;
    private readonly AgentTelemetry? _telemetry;

    public ToolLoop(GovernancePipeline pipeline, ToolLoopOptions options)
        : this(pipeline, options, null)
    {
    }

    /// <summary>With <paramref name="telemetry"/>, each model call is a <c>chat {model}</c> span with the GenAI client metrics.</summary>
    internal ToolLoop(GovernancePipeline pipeline, ToolLoopOptions options, AgentTelemetry? telemetry)
    {
        _pipeline = pipeline;
        _options = options;
        _telemetry = telemetry;
    }

    public async Task<AgentRunResult> RunAsync(IChatClient chat, ChatOptions chatOptions, AgentRunContext run, List<ChatMessage> messages, ToolSet toolSet, CancellationToken cancellationToken)
    {
        var tools = toolSet.Offered;
        var byName = toolSet.Withheld.Concat(tools).ToDictionary(t => t.Name, StringComparer.Ordinal);
        var added = new List<ChatMessage>();
        var usage = new UsageDetails();
        var consecutiveErrors = 0;
        for (var iteration = 0; ; iteration++)
        {
            var last = iteration >= _options.MaximumIterationsPerRequest - 1;
            var request = chatOptions.Clone();
            request.Tools = last || tools.Count == 0 ? null : [.. tools];
            var response = await AskAsync(chat, request, run, messages, cancellationToken);
            if (response.Usage is { } u)
            {
                usage.Add(u);
            }

            messages.AddRange(response.Messages);
            added.AddRange(response.Messages);
            var calls = response.Messages.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).ToList();
            if (calls.Count == 0 || last)
            {
                return new AgentRunResult(response.Text, added, usage);
            }

            foreach (var call in calls)
            {
                var (result, failure) = await InvokeAsync(call, byName, run, cancellationToken);
                consecutiveErrors = failure is null ? 0 : consecutiveErrors + 1;
                var toolMessage = new ChatMessage(ChatRole.Tool, [new FunctionResultContent(call.CallId, result)]);
                messages.Add(toolMessage);
                added.Add(toolMessage);
                if (consecutiveErrors >= _options.MaximumConsecutiveErrorsPerRequest)
                {
                    throw new AgentRunException($"Agent '{run.Agent}' stopped after {consecutiveErrors} failed tool calls in a row; the last: {failure}");
                }
            }
        }
    }

    private async Task<ChatResponse> AskAsync(IChatClient chat, ChatOptions request, AgentRunContext run, List<ChatMessage> messages, CancellationToken cancellationToken)
    {
        if (_telemetry is null)
        {
            return await StreamAsync(chat, request, run, messages, cancellationToken);
        }

        var call = _telemetry.StartChat(request, run, messages);
        using var activity = call.Activity;
        try
        {
            var response = await StreamAsync(chat, request, run, messages, cancellationToken);
            _telemetry.ChatCompleted(call, response);
            return response;
        }
        catch (Exception ex)
        {
            _telemetry.ChatFailed(call, ex);
            throw;
        }
    }

    // Streamed so a person watching the turn sees the answer as it is written (message.delta); the loop itself works
    // on the whole response, assembled from the updates.
    private static async Task<ChatResponse> StreamAsync(IChatClient chat, ChatOptions request, AgentRunContext run, List<ChatMessage> messages, CancellationToken cancellationToken)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.GetStreamingResponseAsync(messages, request, cancellationToken))
        {
            updates.Add(update);
            if (run.Events is { } events && update.Text is { Length: > 0 } delta)
            {
                events.Publish(new GovernanceEvent(GovernanceEventTypes.MessageDelta, run.Agent, null, run.ParentToolCallId, DateTimeOffset.UtcNow) { Reason = delta });
            }
        }

        return updates.ToChatResponse();
    }

    private async Task<(object? Result, string? Failure)> InvokeAsync(FunctionCallContent call, Dictionary<string, GovernedTool> tools, AgentRunContext run, CancellationToken cancellationToken)
    {
        ToolCallOutcome outcome;
        var callId = run.ToolCallIdFor(call.CallId);
        if (!tools.TryGetValue(call.Name, out var tool))
        {
            outcome = await _pipeline.DenyUnknownToolAsync(run, call.Name, callId, cancellationToken);
            return (GovernedTool.DenialResult(call.Name, outcome), null);
        }

        if (call.Exception is { } malformed)
        {
            outcome = await _pipeline.DenyCallAsync(run, tool.Descriptor.Identity.Key, callId, "arguments", $"The arguments for '{call.Name}' are not valid JSON: {malformed.Message}", cancellationToken);
            return (GovernedTool.DenialResult(call.Name, outcome), outcome.Reason);
        }

        var arguments = new AIFunctionArguments(call.Arguments ?? new Dictionary<string, object?>()).WithToolCall(run, callId);
        outcome = await tool.InvokeGovernedAsync(arguments, cancellationToken);
        return outcome.Status switch
        {
            ToolCallStatus.Completed or ToolCallStatus.Replayed => (outcome.Result, null),
            ToolCallStatus.Denied => (GovernedTool.DenialResult(tool.Descriptor.Identity, outcome), null),
            _ => (GovernedTool.FailureResult(tool.Descriptor.Identity.Key, outcome), outcome.Reason),
        };
    }
}

/// <summary>The tools an agent's model is offered, and those of its servers and hand-offs it is not (the allow-list forbids them).</summary>
public sealed record ToolSet(IReadOnlyList<GovernedTool> Offered, IReadOnlyList<GovernedTool> Withheld);
