using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentSuite.Governance.Screening;

namespace AgentSuite.Governance.Telemetry;

/// <summary>
/// Content for span attributes (only when <see cref="TelemetryOptions.RecordSensitiveData"/> is on), always through the
/// governance secret redactor first: a trace never carries a secret the model would not have been shown.
/// </summary>
public static class TelemetryContent
{
    // Readable in a trace viewer: quotes and non-ASCII text are not turned into \u escapes.
    private static readonly JsonWriterOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Text(string text, SecretRedactor? redactor) => redactor is null ? text : redactor.Redact(text, out _);

    /// <summary>A value (a JSON element, a tool result object, a string) as redacted JSON text.</summary>
    public static string Json(object? value, SecretRedactor? redactor) => Write(w => WriteJson(w, value, redactor));

    /// <summary>Runs <paramref name="write"/> on a readable JSON writer and returns what it wrote.</summary>
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Readable))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteJson(Utf8JsonWriter writer, object? value, SecretRedactor? redactor)
    {
        var element = CanonicalJson.ToElement(value);
        if (redactor is null)
        {
            element.WriteTo(writer);
        }
        else
        {
            var count = 0;
            redactor.WriteRedacted(writer, element, ref count);
        }
    }
}
