using System.Globalization;
using System.Text.Json;

namespace AgentSuite.Governance.Audit;

/// <summary>
/// One audit entry as a line of an export (JSON Lines): every field, nulls included, the time in the form that is
/// hashed, and its seq, prevHash and hash, so a line can be checked against the chain on its own.
/// </summary>
public static class AuditJsonLine
{
    public static void Write(Utf8JsonWriter w, AuditRecord record)
    {
        var e = record.Entry;
        w.WriteStartObject();
        w.WriteNumber("seq", record.Seq);
        w.WriteString("at", AuditChain.FormatTime(e.At));
        w.WriteString("kind", e.Kind);
        w.WriteString("conversationId", e.ConversationId);
        w.WriteString("runId", e.RunId);
        w.WriteString("agent", e.Agent);
        w.WriteString("principal", e.Principal);
        w.WriteString("tool", e.Tool);
        w.WriteString("toolCallId", e.ToolCallId);
        w.WriteString("decision", e.Decision);
        w.WriteString("reason", e.Reason);
        w.WritePropertyName("data");
        if (e.Data is { } data)
        {
            data.WriteTo(w);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteString("prevHash", record.PrevHash);
        w.WriteString("hash", record.Hash);
        w.WriteEndObject();
    }

    /// <summary>Reads a line written by <see cref="Write"/> (or an entry of <c>GET /api/audit</c>, which omits nulls).</summary>
    /// <exception cref="FormatException">The line is not such an entry.</exception>
    public static AuditRecord Parse(string line)
    {
        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(line);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"not JSON ({ex.Message})", ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("not a JSON object");
        }

        if (!root.TryGetProperty("seq", out var seq) || seq.ValueKind != JsonValueKind.Number || !seq.TryGetInt64(out var number))
        {
            throw new FormatException("no whole-number 'seq'");
        }

        var at = Required(root, "at");
        if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var when))
        {
            throw new FormatException($"'at' is not a time: '{at}'");
        }

        var entry = new AuditEntry(Required(root, "kind"), when)
        {
            ConversationId = Text(root, "conversationId"),
            RunId = Text(root, "runId"),
            Agent = Text(root, "agent"),
            Principal = Text(root, "principal"),
            Tool = Text(root, "tool"),
            ToolCallId = Text(root, "toolCallId"),
            Decision = Text(root, "decision"),
            Reason = Text(root, "reason"),
            Data = root.TryGetProperty("data", out var data) && data.ValueKind != JsonValueKind.Null ? data.Clone() : null,
        };
        return new AuditRecord(number, entry, Required(root, "prevHash"), Required(root, "hash"));
    }

    private static string? Text(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FormatException($"'{name}' is not a string");

    private static string Required(JsonElement root, string name) =>
        Text(root, name) ?? throw new FormatException($"no '{name}'");
}
