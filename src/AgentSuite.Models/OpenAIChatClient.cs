// Microsoft.Extensions.AI.OpenAI's chat client over the OpenAI 2.15.0 SDK, with what neither does for the app.
using System.ClientModel;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace AgentSuite.Models;

/// <summary>
/// A model behind the OpenAI Chat Completions protocol (OpenAI, Azure OpenAI's OpenAI-compatible endpoint, Ollama, vLLM,
/// LM Studio, the mock model server): <c>ChatClient.AsIChatClient()</c> from Microsoft.Extensions.AI.OpenAI, whose SDK
/// pipeline keeps its own HttpClient, retries (<see cref="ModelRetryPolicy"/>) and per-read timeout, under one layer,
/// <see cref="AdditionalSettingsChatClient"/>, that sends an agent's other <c>execution_settings</c>. This outermost
/// layer turns a call that still fails into a <see cref="ModelCallException"/> naming the model, the endpoint, the
/// status and the attempts, without the key; the mock model server's answer to a script miss (<c>mock_script_miss</c>)
/// becomes the same <see cref="MockScriptMissException"/> the in-process mock throws.
/// </summary>
public sealed class OpenAIChatClient : DelegatingChatClient
{
    private readonly OpenAIModelOptions _options;
    private readonly string _where;

    public OpenAIChatClient(OpenAIModelOptions options)
        : base(Pipeline(options))
    {
        _options = options;
        _where = $"The model '{options.Model}' at {(options.Endpoint is { } e ? new UriBuilder(e) { UserName = "", Password = "" }.Uri : "the OpenAI API")}";
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception ex) when (Failure(ex, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<AIChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await updates.MoveNextAsync())
                {
                    yield break;
                }
            }
            catch (Exception ex) when (Failure(ex, cancellationToken) is { } failure)
            {
                throw failure;
            }

            yield return updates.Current;
        }
    }

    private static AdditionalSettingsChatClient Pipeline(OpenAIModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model);
        var sdk = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            RetryPolicy = new ModelRetryPolicy(options.MaxRetries, options.RetryDelay, options.MaxRetryAfter),
            NetworkTimeout = options.Timeout,
            UserAgentApplicationId = "agentsuite",
        };

        // Local servers (Ollama, vLLM, LM Studio, the mock) take no key, but the SDK needs a credential to send.
        var key = new ApiKeyCredential(options.ApiKey is { Length: > 0 } k ? k : "no-key");
        return new AdditionalSettingsChatClient(new ChatClient(options.Model, key, sdk).AsIChatClient());
    }

    /// <summary>What a failed call becomes once the retries are spent: a message a person can act on, never the key.</summary>
    private Exception? Failure(Exception ex, CancellationToken cancellationToken)
    {
        if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (ex is ClientResultException { Status: 422 } unanswered && ScriptMiss(unanswered) is { } miss)
        {
            return miss;
        }

        var tries = _options.MaxRetries + 1;
        var message = ex switch
        {
            ClientResultException { Status: > 0 } http => $"{_where} answered HTTP {http.Status}{Reason(http)} after {(Retried(http.Status) ? tries : 1)} attempt(s): {Detail(http)}",
            OperationCanceledException => $"{_where} sent nothing for {_options.Timeout.TotalSeconds:0.#} s (Model:Timeout), so the call was abandoned.",
            ClientResultException or HttpRequestException or IOException => $"{_where} could not be reached after {tries} attempt(s): {ex.Message}",
            _ => null,
        };
        // The SDK's exception message holds the answer's body, so one that echoes the key is not kept as the inner exception.
        var inner = _options.ApiKey is { Length: > 0 } key && ex.ToString().Contains(key, StringComparison.Ordinal) ? null : ex;
        return message is null ? null : new ModelCallException(Scrub(message), (ex as ClientResultException)?.Status, inner);
    }

    /// <summary>The mock model server's error answer for a request its script cannot answer, rebuilt; null for any other answer.</summary>
    private static MockScriptMissException? ScriptMiss(ClientResultException ex)
    {
        try
        {
            using var json = JsonDocument.Parse(ex.GetRawResponse()?.Content?.ToString() ?? "");
            if (!json.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object
                || !error.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String || code.GetString() != MockScriptMissException.ErrorCode)
            {
                return null;
            }

            string? Text(string name) => error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            int Number(string name) => error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : 0;
            var message = Text("message") ?? "The mock model server's script has no answer for this request.";
            return new MockScriptMissException(Text("script") ?? "the mock model server's script", Text("agent"), Text("user_message"), Number("model_call"), Number("line"), Text("problem") ?? message, message);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The statuses the SDK's retry policy retries.
    private static bool Retried(int status) => status is 408 or 429 or >= 500;

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
}
