using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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

    /// <summary>The one timestamp form that is hashed and stored: UTC, round-trip ("O").</summary>
    public static string FormatTime(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary><see cref="FormatTime(DateTimeOffset)"/> into a caller's buffer (at least 33 chars), for the hot path.</summary>
    public static int FormatTime(DateTimeOffset at, Span<char> destination) =>
        at.ToUniversalTime().TryFormat(destination, out var written, "O", CultureInfo.InvariantCulture)
            ? written
            : throw new ArgumentException("The buffer is too small for a round-trip timestamp.", nameof(destination));

    public static string ComputeHash(long seq, AuditEntry entry, string prevHash) => Compute(seq, entry, prevHash, captureData: false).Hash;

    /// <summary>The canonical JSON of an entry (keys in ordinal order, data canonicalised), without its hashes.</summary>
    public static string CanonicalJson(long seq, AuditEntry entry)
    {
        var scratch = JsonScratch.Get(JsonScratch.Slot.Chain);
        WriteCanonical(scratch.Writer, seq, entry, out _, out _);
        scratch.Writer.Flush();
        return Encoding.UTF8.GetString(scratch.Written);
    }

    public static AuditRecord Link(long seq, AuditEntry entry, string prevHash) =>
        new(seq, entry, prevHash, ComputeHash(seq, entry, prevHash));

    /// <summary>Links an entry and also returns its data as canonical JSON text, which is what a store keeps.</summary>
    public static AuditRecord Link(long seq, AuditEntry entry, string prevHash, out string? canonicalData)
    {
        var (hash, data) = Compute(seq, entry, prevHash, captureData: true);
        canonicalData = data;
        return new AuditRecord(seq, entry, prevHash, hash);
    }

    private static (string Hash, string? Data) Compute(long seq, AuditEntry entry, string prevHash, bool captureData)
    {
        var scratch = JsonScratch.Get(JsonScratch.Slot.Chain);
        var prefix = scratch.Buffer.GetSpan(prevHash.Length);
        var written = Encoding.ASCII.GetBytes(prevHash, prefix);
        scratch.Buffer.Advance(written);
        WriteCanonical(scratch.Writer, seq, entry, out var dataStart, out var dataEnd);
        scratch.Writer.Flush();

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(scratch.Written, hash);
        var data = captureData && entry.Data is not null
            ? Encoding.UTF8.GetString(scratch.Written[(written + dataStart)..(written + dataEnd)])
            : null;
        return (Convert.ToHexStringLower(hash), data);
    }

    private static void WriteCanonical(Utf8JsonWriter w, long seq, AuditEntry e, out int dataStart, out int dataEnd)
    {
        // Keys are written in ordinal order by hand; this is the hot path of every audited call.
        w.WriteStartObject();
        w.WriteString("agent", e.Agent);
        Span<char> at = stackalloc char[40];
        w.WriteString("at", at[..FormatTime(e.At, at)]);
        w.WriteString("conversationId", e.ConversationId);
        w.WritePropertyName("data");
        w.Flush();
        dataStart = (int)w.BytesCommitted;
        if (e.Data is { } data)
        {
            Governance.CanonicalJson.Write(w, data);
        }
        else
        {
            w.WriteNullValue();
        }

        w.Flush();
        dataEnd = (int)w.BytesCommitted;

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
