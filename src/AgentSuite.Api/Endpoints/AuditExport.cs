using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using AgentSuite.Governance.Audit;

namespace AgentSuite.Api.Endpoints;

/// <summary>Streams a selection of the audit as JSON Lines or CSV, entry by entry, never holding the whole log in memory.</summary>
internal static class AuditExport
{
    public const string JsonLines = "application/x-ndjson";
    public const string Csv = "text/csv";

    // Flushed every so many entries, so a large export reaches the client while it is read.
    private const int EntriesPerFlush = 256;

    /// <summary>The media type <c>format</c> or Accept asks for (JSON Lines unless CSV is asked for), or null for an unknown format.</summary>
    public static string? MediaType(string? format, HttpRequest request) => format?.ToLowerInvariant() switch
    {
        null or "" => request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(Csv, StringComparison.OrdinalIgnoreCase)) ? Csv : JsonLines,
        "jsonl" or "ndjson" or "json-lines" => JsonLines,
        "csv" => Csv,
        _ => null,
    };

    public static async Task WriteAsync(PipeWriter body, IAsyncEnumerable<AuditRecord> records, string mediaType, CancellationToken cancellationToken)
    {
        // Written into the response's pipe, which never blocks on the socket; each flush is asynchronous.
        var csv = mediaType == Csv;
        var rows = csv ? new StringBuilder(AuditCsv.Header).Append("\r\n") : null;
        await using var json = new Utf8JsonWriter(body);
        var pending = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (rows is not null)
            {
                AuditCsv.AppendRow(rows, record);
            }
            else
            {
                AuditJsonLine.Write(json, record);
                json.Flush();
                json.Reset();
                body.Write("\n"u8);
            }

            if (++pending == EntriesPerFlush)
            {
                await FlushAsync(body, rows, cancellationToken);
                pending = 0;
            }
        }

        await FlushAsync(body, rows, cancellationToken);
    }

    private static async Task FlushAsync(PipeWriter body, StringBuilder? rows, CancellationToken cancellationToken)
    {
        if (rows is not null)
        {
            Encoding.UTF8.GetBytes(rows.ToString().AsSpan(), body);
            rows.Clear();
        }

        await body.FlushAsync(cancellationToken);
    }
}
