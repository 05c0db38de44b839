using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentSuite.Governance;

/// <summary>
/// Per-thread reusable JSON buffers for the hot path, so a governed call does not grow and drop a buffer for every
/// hash and audit entry. A slot is only used inside synchronous code (never across an await), and each kind of use
/// has its own slot, so nested uses never share one.
/// </summary>
internal sealed class JsonScratch
{
    public static readonly JsonWriterOptions Options = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    [ThreadStatic]
    private static JsonScratch?[]? t_slots;

    private JsonScratch()
    {
        Buffer = new ArrayBufferWriter<byte>(4096);
        Writer = new Utf8JsonWriter(Buffer, Options);
    }

    public enum Slot
    {
        Canonical,
        Chain,
        AuditData,
        Envelope,
        Content,
        Arguments,
    }

    public ArrayBufferWriter<byte> Buffer { get; }

    public Utf8JsonWriter Writer { get; }

    public ReadOnlySpan<byte> Written => Buffer.WrittenSpan;

    /// <summary>The slot's buffer and writer, emptied.</summary>
    public static JsonScratch Get(Slot slot)
    {
        var slots = t_slots ??= new JsonScratch?[Enum.GetValues<Slot>().Length];
        var scratch = slots[(int)slot] ??= new JsonScratch();
        scratch.Buffer.ResetWrittenCount();
        scratch.Writer.Reset(scratch.Buffer);
        return scratch;
    }

    /// <summary>A JSON element that owns a copy of the written bytes.</summary>
    public JsonElement ToElement()
    {
        Writer.Flush();
        var reader = new Utf8JsonReader(Buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }
}
