using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentSuite.Governance.Audit;

/// <summary>
/// The hash chain: each entry's hash is SHA-256 over the previous entry's hash (hex) followed by the entry's canonical
/// JSON, which includes its sequence number. Every store computes hashes here so that any store's log verifies the same way.
/// </summary>
public static class AuditChain
{
    /// <summary>The "previous hash" of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    /// <summary>The one timestamp form that is hashed and stored: UTC, round-trip ("O").</summary>
    public static string FormatTime(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static string ComputeHash(long seq, AuditEntry entry, string prevHash)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        var prefix = Encoding.ASCII.GetBytes(prevHash);
        buffer.Write(prefix);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteCanonical(writer, seq, entry);
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The canonical JSON of an entry (keys in ordinal order, data canonicalised), without its hashes.</summary>
    public static string CanonicalJson(long seq, AuditEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteCanonical(writer, seq, entry);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static AuditRecord Link(long seq, AuditEntry entry, string prevHash) =>
        new(seq, entry, prevHash, ComputeHash(seq, entry, prevHash));

    private static void WriteCanonical(Utf8JsonWriter w, long seq, AuditEntry e)
    {
        // Keys are written in ordinal order by hand; this is the hot path of every audited call.
        w.WriteStartObject();
        w.WriteString("agent", e.Agent);
        w.WriteString("at", FormatTime(e.At));
        w.WriteString("conversationId", e.ConversationId);
        w.WritePropertyName("data");
        if (e.Data is { } data)
        {
            Governance.CanonicalJson.Write(w, data);
        }
        else
        {
            w.WriteNullValue();
        }

        w.WriteString("decision", e.Decision);
        w.WriteString("kind", e.Kind);
        w.WriteString("principal", e.Principal);
        w.WriteString("reason", e.Reason);
        w.WriteString("runId", e.RunId);
        w.WriteNumber("seq", seq);
        w.WriteString("tool", e.Tool);
        w.WriteString("toolCallId", e.ToolCallId);
        w.WriteEndObject();
    }
}
