// The thinnest IChatClient over the OpenAI 2.15.0 SDK's Chat Completions client, for OpenAI and every server that
// speaks its protocol.
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;
using AIChatRole = Microsoft.Extensions.AI.ChatRole;
using AIFinishReason = Microsoft.Extensions.AI.ChatFinishReason;
using WireFinishReason = OpenAI.Chat.ChatFinishReason;
using WireMessage = OpenAI.Chat.ChatMessage;

namespace AgentSuite.Models;

/// <summary>
/// A model behind the OpenAI Chat Completions protocol (OpenAI, Azure OpenAI's OpenAI-compatible endpoint, Ollama, vLLM,
/// LM Studio, the mock model server): messages, tools and tool calls, streaming, usage and finish reasons. Options the
/// abstractions do not name (an agent's other <c>execution_settings</c>) are sent as top-level request fields; keys
/// starting <c>agentsuite.</c> are the app's own and never leave it. A call that still fails after the SDK's retries
/// becomes a <see cref="ModelCallException"/> whose message says what the model answered, without the key.
/// </summary>
public sealed class OpenAIChatClient : IChatClient
{
    private const string InternalPrefix = "agentsuite.";

    private readonly OpenAIClient _client;
    private readonly OpenAIModelOptions _options;
    private readonly ConcurrentDictionary<string, ChatClient> _models = new(StringComparer.Ordinal);

    public OpenAIChatClient(OpenAIModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model);
        _options = options;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            RetryPolicy = new ModelRetryPolicy(options.MaxRetries, options.RetryDelay, options.MaxRetryAfter),
            NetworkTimeout = options.Timeout,
            UserAgentApplicationId = "agentsuite",
        };
        // Local servers (Ollama, vLLM, LM Studio, the mock) take no key, but the SDK needs a credential to send.
        _client = new OpenAIClient(new ApiKeyCredential(options.ApiKey is { Length: > 0 } key ? key : "no-key"), clientOptions);
        Metadata = new ChatClientMetadata("openai", options.Endpoint is { } e ? WithoutUserInfo(e) : null, options.Model);
    }

    public ChatClientMetadata Metadata { get; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (client, wireMessages, wireOptions) = Request(messages, options);
        ChatCompletion completion;
        try
        {
            completion = (await client.CompleteChatAsync(wireMessages, wireOptions, cancellationToken)).Value;
        }
        catch (Exception ex) when (Failure(ex, cancellationToken) is { } failure)
        {
            throw failure;
        }

        var contents = new List<AIContent>();
        var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
        if (text.Length > 0 || completion.Refusal is { Length: > 0 })
        {
            contents.Add(new TextContent(text.Length > 0 ? text : completion.Refusal));
        }

        contents.AddRange(completion.ToolCalls.Select(c => Call(c.Id, c.FunctionName, c.FunctionArguments?.ToString())));
        var message = new AIChatMessage(AIChatRole.Assistant, contents) { MessageId = completion.Id };
        return new ChatResponse(message)
        {
            ResponseId = completion.Id,
            ModelId = completion.Model,
            CreatedAt = completion.CreatedAt,
            FinishReason = Finish(completion.FinishReason),
            Usage = Usage(completion.Usage),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<AIChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (client, wireMessages, wireOptions) = Request(messages, options);

        // A stream that stops mid-way must not hang the turn: each piece has Timeout to arrive.
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var calls = new SortedDictionary<int, (string? Id, string? Name, StringBuilder Arguments)>();
        string? id = null, model = null;
        AIFinishReason? finish = null;
        await using var updates = client.CompleteChatStreamingAsync(wireMessages, wireOptions, idle.Token).GetAsyncEnumerator(idle.Token);
        while (true)
        {
            StreamingChatCompletionUpdate update;
            try
            {
                idle.CancelAfter(_options.Timeout);
                if (!await updates.MoveNextAsync())
                {
                    break;
                }

                update = updates.Current;
            }
            catch (Exception ex) when (Failure(ex, cancellationToken) is { } failure)
            {
                throw failure;
            }

            (id, model) = (update.CompletionId ?? id, update.Model ?? model);
            finish = update.FinishReason is { } f ? Finish(f) : finish;
            foreach (var delta in update.ToolCallUpdates)
            {
                var call = calls.TryGetValue(delta.Index, out var open) ? open : (null, null, new StringBuilder());
                calls[delta.Index] = (call.Id ?? delta.ToolCallId, call.Name ?? delta.FunctionName, call.Arguments.Append(delta.FunctionArgumentsUpdate?.ToString()));
            }

            var contents = new List<AIContent>();
            foreach (var part in update.ContentUpdate.Where(p => p.Kind == ChatMessageContentPartKind.Text && p.Text.Length > 0))
            {
                contents.Add(new TextContent(part.Text));
            }

            if (update.Usage is { } usage)
            {
                contents.Add(new UsageContent(Usage(usage)!));
            }

            if (contents.Count > 0)
            {
                yield return Update(contents, id, model, null);
            }
        }

        // A tool call is complete only when its stream is: its arguments arrive in pieces.
        var finished = calls.Values.Select(c => (AIContent)Call(c.Id ?? $"call_{Guid.NewGuid():N}", c.Name ?? "", c.Arguments.ToString())).ToList();
        yield return Update(finished, id, model, finish ?? (finished.Count > 0 ? AIFinishReason.ToolCalls : AIFinishReason.Stop));
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_client) ? _client
            : null;
    }

    public void Dispose()
    {
        // The SDK's clients hold no unmanaged resources of their own; the pipeline's HttpClient is shared and static.
    }

    private (ChatClient Client, List<WireMessage> Messages, ChatCompletionOptions Options) Request(IEnumerable<AIChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = options?.ModelId is { Length: > 0 } m ? m : _options.Model;
        var client = _models.GetOrAdd(model, _client.GetChatClient);
        return (client, [.. messages.SelectMany(Messages)], Options(options));
    }

    private static IEnumerable<WireMessage> Messages(AIChatMessage message)
    {
        var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
        if (message.Role == AIChatRole.System)
        {
            yield return new SystemChatMessage(text) { ParticipantName = message.AuthorName };
        }
        else if (message.Role == AIChatRole.User)
        {
            yield return new UserChatMessage(text) { ParticipantName = message.AuthorName };
        }
        else if (message.Role == AIChatRole.Assistant)
        {
            var calls = message.Contents.OfType<FunctionCallContent>()
                .Select(c => ChatToolCall.CreateFunctionToolCall(c.CallId, c.Name, BinaryData.FromString(JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>(), AIJsonUtilities.DefaultOptions))))
                .ToList();
            var assistant = calls.Count == 0 ? new AssistantChatMessage(text) : new AssistantChatMessage(calls);
            if (calls.Count > 0 && text.Length > 0)
            {
                assistant.Content.Add(ChatMessageContentPart.CreateTextPart(text));
            }

            assistant.ParticipantName = message.AuthorName;
            yield return assistant;
        }

        foreach (var result in message.Contents.OfType<FunctionResultContent>())
        {
            yield return new ToolChatMessage(result.CallId, ResultText(result));
        }
    }

    private static string ResultText(FunctionResultContent result) => result.Result switch
    {
        null => result.Exception is { } ex ? $"Error: {ex.Message}" : "",
        string s => s,
        JsonElement json => json.ValueKind == JsonValueKind.String ? json.GetString()! : json.GetRawText(),
        var other => JsonSerializer.Serialize(other, AIJsonUtilities.DefaultOptions),
    };

#pragma warning disable SCME0001 // JsonPatch (System.ClientModel) is how the SDK sends fields it has no property for.
    private static ChatCompletionOptions Options(ChatOptions? options)
    {
        var wire = new ChatCompletionOptions
        {
            Temperature = options?.Temperature,
            TopP = options?.TopP,
            MaxOutputTokenCount = options?.MaxOutputTokens,
            FrequencyPenalty = options?.FrequencyPenalty,
            PresencePenalty = options?.PresencePenalty,
        };
#pragma warning disable OPENAI001 // Seed is marked for evaluation in the SDK; the protocol field itself is stable.
        wire.Seed = options?.Seed;
#pragma warning restore OPENAI001
        foreach (var stop in options?.StopSequences ?? [])
        {
            wire.StopSequences.Add(stop);
        }

        var tools = options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        foreach (var tool in tools)
        {
            wire.Tools.Add(ChatTool.CreateFunctionTool(tool.Name, tool.Description, BinaryData.FromString(tool.JsonSchema.GetRawText())));
        }

        if (tools.Count > 0)
        {
            wire.ToolChoice = options?.ToolMode switch
            {
                NoneChatToolMode => ChatToolChoice.CreateNoneChoice(),
                RequiredChatToolMode { RequiredFunctionName: { } name } => ChatToolChoice.CreateFunctionChoice(name),
                RequiredChatToolMode => ChatToolChoice.CreateRequiredChoice(),
                _ => ChatToolChoice.CreateAutoChoice(),
            };
            wire.AllowParallelToolCalls = options?.AllowMultipleToolCalls;
        }

        foreach (var (key, value) in options?.AdditionalProperties ?? [])
        {
            if (key.StartsWith(InternalPrefix, StringComparison.Ordinal) || value is null)
            {
                continue;
            }

            var path = Encoding.UTF8.GetBytes("$." + key);
            switch (value)
            {
                case bool b: wire.Patch.Set(path, b); break;
                case long l: wire.Patch.Set(path, l); break;
                case int i: wire.Patch.Set(path, i); break;
                case double d: wire.Patch.Set(path, d); break;
                case float f: wire.Patch.Set(path, f); break;
                case string s: wire.Patch.Set(path, s); break;
                default: wire.Patch.Set(path, BinaryData.FromString(JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions))); break;
            }
        }

        return wire;
    }
#pragma warning restore SCME0001

    /// <summary>A tool call as the loop reads it; arguments that are not a JSON object keep the parse error, which governance denies.</summary>
    private static FunctionCallContent Call(string id, string name, string? arguments) =>
        FunctionCallContent.CreateFromParsedArguments(
            string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments, id, name,
            json => JsonSerializer.Deserialize<Dictionary<string, object?>>(json, AIJsonUtilities.DefaultOptions)
                ?? throw new JsonException("The arguments are null, not a JSON object."));

    private static ChatResponseUpdate Update(List<AIContent> contents, string? id, string? model, AIFinishReason? finish) =>
        new(AIChatRole.Assistant, contents) { ResponseId = id, MessageId = id, ModelId = model, FinishReason = finish };

    private static AIFinishReason? Finish(WireFinishReason reason) => reason switch
    {
        WireFinishReason.Stop => AIFinishReason.Stop,
        WireFinishReason.Length => AIFinishReason.Length,
        WireFinishReason.ToolCalls or WireFinishReason.FunctionCall => AIFinishReason.ToolCalls,
        WireFinishReason.ContentFilter => AIFinishReason.ContentFilter,
        _ => null,
    };

    private static UsageDetails? Usage(ChatTokenUsage? usage) => usage is null ? null : new UsageDetails
    {
        InputTokenCount = usage.InputTokenCount,
        OutputTokenCount = usage.OutputTokenCount,
        TotalTokenCount = usage.TotalTokenCount,
    };

    /// <summary>What a failed call becomes once the retries are spent: a message a person can act on, never the key.</summary>
    private ModelCallException? Failure(Exception ex, CancellationToken cancellationToken)
    {
        if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var where = $"The model '{_options.Model}' at {Metadata.ProviderUri?.ToString() ?? "the OpenAI API"}";
        var message = ex switch
        {
            ClientResultException { Status: > 0 } http => $"{where} answered HTTP {http.Status}{Reason(http)} after {_options.MaxRetries + 1} attempt(s): {Detail(http)}",
            OperationCanceledException => $"{where} sent nothing for {_options.Timeout.TotalSeconds:0.#} s (Model:Timeout), so the call was abandoned.",
            ClientResultException or HttpRequestException or IOException => $"{where} could not be reached after {_options.MaxRetries + 1} attempt(s): {ex.Message}",
            _ => null,
        };
        return message is null ? null : new ModelCallException(Scrub(message), (ex as ClientResultException)?.Status, ex);
    }

    private static string Reason(ClientResultException ex) => ex.GetRawResponse()?.ReasonPhrase is { Length: > 0 } phrase ? " " + phrase : "";

    // OpenAI-style servers answer {"error":{"message":...}}; anything else is quoted, shortened.
    private static string Detail(ClientResultException ex)
    {
        var body = ex.GetRawResponse()?.Content?.ToString() ?? "";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("error", out var error))
            {
                body = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.ToString() : error.ToString();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text itself is the detail.
        }

        body = body.Trim();
        return body.Length == 0 ? "(no detail in the answer)" : body.Length > 300 ? body[..300] + "..." : body;
    }

    private string Scrub(string text) => _options.ApiKey is { Length: > 0 } key ? text.Replace(key, "[secret]", StringComparison.Ordinal) : text;

    private static Uri WithoutUserInfo(Uri uri) => uri.UserInfo.Length == 0 ? uri : new UriBuilder(uri) { UserName = "", Password = "" }.Uri;
}
