using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models;

/// <summary>
/// Deterministic facts about a request: its size in characters (for plausible token counts, about four characters a
/// token) and a fingerprint that names the response, so the same messages always get the same ids.
/// </summary>
internal sealed class ConversationDigest
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    private ulong _hash = Offset;

    public int Characters { get; private set; }

    public static ConversationDigest Of(string? agent, IEnumerable<ChatMessage> messages)
    {
        var digest = new ConversationDigest();
        digest.Add(agent ?? "");
        foreach (var message in messages)
        {
            digest.Add(message.Role.Value);
            foreach (var content in message.Contents)
            {
                digest.Add(content);
            }
        }

        return digest;
    }

    public static int Tokens(int characters) => Math.Max(1, (characters + 3) / 4);

    public static int CharactersOf(IEnumerable<AIContent> contents)
    {
        var digest = new ConversationDigest();
        foreach (var content in contents)
        {
            digest.Add(content);
        }

        return digest.Characters;
    }

    /// <summary>An id for the response to these messages, e.g. <c>mock-3f2a9c0d1e4b5a67</c>.</summary>
    public string ResponseId => "mock-" + _hash.ToString("x16", CultureInfo.InvariantCulture);

    private void Add(AIContent content)
    {
        switch (content)
        {
            case TextContent text:
                Add(text.Text);
                break;
            case FunctionCallContent call:
                Add(call.CallId);
                Add(call.Name);
                Add(JsonSerializer.Serialize(call.Arguments, AIJsonUtilities.DefaultOptions));
                break;
            case FunctionResultContent result:
                Add(result.CallId);
                Add(JsonText.ToText(JsonText.FromResult(result.Result)));
                break;
            default:
                break;
        }
    }

    private void Add(string text)
    {
        Characters += text.Length;
        foreach (var c in text)
        {
            _hash = (_hash ^ c) * Prime;
        }

        _hash = (_hash ^ 0xFF) * Prime;
    }
}
