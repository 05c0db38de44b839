using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentSuite.Agents;

// Stands in for Microsoft.SemanticKernel.Agents.ChatCompletionAgent (package Microsoft.SemanticKernel.Agents.Core), which this build cannot restore.

/// <summary>
/// An agent as Semantic Kernel's <c>ChatCompletionAgent</c> shapes one: a name, a description, instructions (a prompt
/// template rendered with the agent's arguments), a <see cref="Kernel"/> whose plugins are its tools and whose filters
/// govern them, and invoke / streamed invoke over a <see cref="ChatHistory"/>. The kernel's
/// <see cref="IChatCompletionService"/> runs the tool loop; what it adds (calls, results, the reply) joins the history.
/// </summary>
public sealed class ChatCompletionAgent
{
    // Instructions are rendered with no plugins, so a template can read arguments but never call a tool ungoverned.
    private static readonly Kernel RenderingKernel = new();

    public string? Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The instructions as plain text, used when there is no <see cref="Template"/>.</summary>
    public string? Instructions { get; init; }

    /// <summary>The instructions as a prompt template, rendered with <see cref="Arguments"/> on every invocation.</summary>
    public IPromptTemplate? Template { get; init; }

    public Kernel Kernel { get; init; } = new();

    /// <summary>Template arguments and the execution settings of every model call.</summary>
    public KernelArguments? Arguments { get; init; }

    public async IAsyncEnumerable<ChatMessageContent> InvokeAsync(ChatHistory history, KernelArguments? arguments = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (service, chat, settings, effectiveKernel) = await PrepareAsync(history, arguments, kernel, cancellationToken);
        var before = chat.Count;
        var replies = await service.GetChatMessageContentsAsync(chat, settings, effectiveKernel, cancellationToken);
        foreach (var added in Completed(chat.Skip(before)).Concat(replies).ToList())
        {
            added.AuthorName ??= Name;
            history.Add(added);
            yield return added;
        }
    }

    /// <summary>
    /// Streams every update of every model call (text as it is written, tool calls, tool results as role <c>tool</c>).
    /// When the stream ends, the calls, results and the final reply are in <paramref name="history"/>.
    /// </summary>
    public async IAsyncEnumerable<StreamingChatMessageContent> InvokeStreamingAsync(ChatHistory history, KernelArguments? arguments = null, Kernel? kernel = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (service, chat, settings, effectiveKernel) = await PrepareAsync(history, arguments, kernel, cancellationToken);
        var before = chat.Count;
        var reply = new StringBuilder();
        await foreach (var update in service.GetStreamingChatMessageContentsAsync(chat, settings, effectiveKernel, cancellationToken))
        {
            // The reply is what the model wrote after the last tool results; earlier text belonged to a call round.
            if (update.Role == AuthorRole.Tool)
            {
                reply.Clear();
            }
            else
            {
                reply.Append(update.Content);
            }

            update.AuthorName ??= Name;
            yield return update;
        }

        foreach (var added in Completed(chat.Skip(before)))
        {
            added.AuthorName ??= Name;
            history.Add(added);
        }

        history.Add(new ChatMessageContent(AuthorRole.Assistant, reply.ToString()) { AuthorName = Name });
    }

    /// <summary>
    /// What the loop added, in the shape an OpenAI endpoint accepts when the history is sent again: the calls of one
    /// response in one assistant message (SK's streaming adds one message per call), and every call answered.
    /// </summary>
    private static List<ChatMessageContent> Completed(IEnumerable<ChatMessageContent> added)
    {
        var merged = new List<ChatMessageContent>();
        foreach (var message in added)
        {
            if (merged.Count > 0 && OnlyCalls(message) && OnlyCalls(merged[^1]))
            {
                foreach (var item in message.Items)
                {
                    merged[^1].Items.Add(item);
                }
            }
            else
            {
                merged.Add(message);
            }
        }

        merged.AddRange(Unanswered(merged));
        return merged;

        static bool OnlyCalls(ChatMessageContent message) =>
            message.Role == AuthorRole.Assistant && message.Items.Count > 0 && message.Items.All(i => i is FunctionCallContent);
    }

    /// <summary>
    /// A result for each call the loop left without one (a filter that terminated stops the calls after it), so the
    /// history stays one an OpenAI endpoint accepts: every tool call answered.
    /// </summary>
    private static IEnumerable<ChatMessageContent> Unanswered(IEnumerable<ChatMessageContent> added)
    {
        var messages = added.ToList();
        var answered = messages.SelectMany(m => m.Items.OfType<FunctionResultContent>()).Select(r => r.CallId).ToHashSet(StringComparer.Ordinal);
        foreach (var call in messages.SelectMany(m => m.Items.OfType<FunctionCallContent>()).Where(c => !answered.Contains(c.Id)))
        {
            yield return new ChatMessageContent(AuthorRole.Tool, [new FunctionResultContent(call, "Not run: the agent's turn was stopped before this call.")]);
        }
    }

    private async Task<(IChatCompletionService Service, ChatHistory Chat, PromptExecutionSettings Settings, Kernel Kernel)> PrepareAsync(
        ChatHistory history, KernelArguments? arguments, Kernel? kernel, CancellationToken cancellationToken)
    {
        var effectiveKernel = kernel ?? Kernel;
        var effectiveArguments = Merge(Arguments, arguments);
        var service = effectiveKernel.GetRequiredService<IChatCompletionService>();
        var instructions = Template is null ? Instructions : await Template.RenderAsync(RenderingKernel, effectiveArguments, cancellationToken);
        var chat = new ChatHistory();
        if (!string.IsNullOrEmpty(instructions))
        {
            // The system message carries the agent's name (OpenAI's participant name), so a model server serving several
            // agents can tell them apart.
            chat.Add(new ChatMessageContent(AuthorRole.System, instructions) { AuthorName = Name });
        }

        chat.AddRange(history);
        var settings = effectiveArguments.ExecutionSettings?.Values.FirstOrDefault()
            ?? new PromptExecutionSettings { FunctionChoiceBehavior = FunctionChoiceBehavior.Auto() };
        return (service, chat, settings, effectiveKernel);
    }

    private static KernelArguments Merge(KernelArguments? agent, KernelArguments? call)
    {
        if (call is null)
        {
            return agent ?? [];
        }

        if (agent is null)
        {
            return call;
        }

        var settings = call.ExecutionSettings ?? agent.ExecutionSettings;
        var merged = new KernelArguments(agent, settings?.ToDictionary(s => s.Key, s => s.Value));
        foreach (var (name, value) in call)
        {
            merged[name] = value;
        }

        return merged;
    }
}
