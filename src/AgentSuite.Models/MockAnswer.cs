using System.Text.Json;

namespace AgentSuite.Models;

/// <summary>What the mock decided to answer: text, tool calls, or tool calls with text said alongside.</summary>
internal sealed record MockAnswer(string? Text, IReadOnlyList<(string Tool, IReadOnlyDictionary<string, JsonElement> Arguments)> Calls)
{
    public static MockAnswer Reply(string text) => new(text, []);

    public static MockAnswer Call(IReadOnlyList<(string, IReadOnlyDictionary<string, JsonElement>)> calls, string? withText = null) => new(withText, calls);
}
