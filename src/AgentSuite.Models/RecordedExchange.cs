using System.Text.Json;

namespace AgentSuite.Models;

/// <summary>
/// What a replay needs of one recorded exchange: the agent, its latest user message and how many model calls of that
/// turn came before (the step), the tools offered, the outcomes of the previous step's calls, and the model's answer
/// (text, and calls with their arguments exactly as recorded).
/// </summary>
internal sealed record RecordedExchange(
    int Line,
    string? Agent,
    string? User,
    int Step,
    IReadOnlySet<string> Offered,
    IReadOnlyList<KeyValuePair<string, string>> PreviousOutcomes,
    string Text,
    IReadOnlyList<(string Name, string Arguments)> Calls)
{
    /// <exception cref="MockScriptException">The line is not a recorded exchange of a format this build reads.</exception>
    public static RecordedExchange Read(string json, int line, string file)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new MockScriptException(file, line, 1, $"this line is not a recorded model exchange: it is not JSON ({ex.Message}).");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || !format.TryGetInt32(out var version))
            {
                throw new MockScriptException(file, line, 1, "this line is not a recorded model exchange: it has no 'format'.");
            }

            if (version != RecordingLine.Format)
            {
                throw new MockScriptException(file, line, 1, $"this exchange is recorded in format {version}; this build reads format {RecordingLine.Format}.");
            }

            var request = Object(root, "request");
            var messages = request.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array ? [.. m.EnumerateArray()] : new List<JsonElement>();
            var userIndex = messages.FindLastIndex(message => StringOf(message, "role") == "user");
            var step = 0;
            var outcomes = new List<KeyValuePair<string, string>>();
            for (var i = userIndex + 1; userIndex >= 0 && i < messages.Count; i++)
            {
                if (StringOf(messages[i], "role") == "assistant")
                {
                    step++;
                    outcomes.Clear();
                }

                foreach (var result in Array(messages[i], "results"))
                {
                    outcomes.Add(new(StringOf(result, "name") ?? StringOf(result, "callId") ?? "", StringOf(result, "outcome") ?? Outcomes.Ok));
                }
            }

            var offered = StringOf(request, "toolMode") == "none" ? [] : Array(request, "tools").Select(t => t.GetString() ?? "").ToHashSet(StringComparer.Ordinal);
            var response = Object(root, "response");
            var calls = Array(response, "calls")
                .Select(c => (StringOf(c, "name") ?? "", c.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.Object ? a.GetRawText() : "{}"))
                .ToList();
            return new RecordedExchange(line, StringOf(root, "agent"), userIndex < 0 ? null : StringOf(messages[userIndex], "text") ?? "", step, offered, outcomes, StringOf(response, "text") ?? "", calls);
        }
    }

    private static JsonElement Object(JsonElement value, string name) =>
        value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Object ? property : default;

    private static JsonElement[] Array(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.Array ? [.. property.EnumerateArray()] : [];

    private static string? StringOf(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;
}
