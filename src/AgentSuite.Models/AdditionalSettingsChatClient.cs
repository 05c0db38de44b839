using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Chat;
using AIChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace AgentSuite.Models;

/// <summary>
/// Sends the options Microsoft.Extensions.AI does not name (an agent's other <c>execution_settings</c>, which Semantic
/// Kernel leaves in <see cref="ChatOptions.AdditionalProperties"/>) as top-level request fields, through the
/// <see cref="ChatOptions.RawRepresentationFactory"/> the OpenAI chat client starts from. Keys starting
/// <c>agentsuite.</c> are the app's own and never leave it.
/// </summary>
internal sealed class AdditionalSettingsChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private const string InternalPrefix = "agentsuite.";

    // Read by Microsoft.Extensions.AI.OpenAI itself (strict tool schemas), so it is not a request field.
    private const string StrictKey = "strict";

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithSettings(options), cancellationToken);

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AIChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithSettings(options), cancellationToken);

    private static ChatOptions? WithSettings(ChatOptions? options)
    {
        var settings = options?.AdditionalProperties?
            .Where(p => p.Value is not null && p.Key != StrictKey && !p.Key.StartsWith(InternalPrefix, StringComparison.Ordinal))
            .ToList();
        if (settings is not { Count: > 0 })
        {
            return options;
        }

        var factory = options!.RawRepresentationFactory;
        var copy = options.Clone();
        copy.RawRepresentationFactory = client =>
        {
            var wire = factory?.Invoke(client) as ChatCompletionOptions ?? new ChatCompletionOptions();
            foreach (var (key, value) in settings)
            {
                Set(wire, key, value!);
            }

            return wire;
        };
        return copy;
    }

#pragma warning disable SCME0001 // JsonPatch (System.ClientModel) is how the SDK sends fields it has no property for.
    private static void Set(ChatCompletionOptions wire, string key, object value)
    {
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
#pragma warning restore SCME0001
}
