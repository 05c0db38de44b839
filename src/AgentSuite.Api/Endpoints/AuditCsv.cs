using System.Text;
using System.Text.Json;
using AgentSuite.Governance.Audit;

namespace AgentSuite.Api.Endpoints;

/// <summary>
/// Audit entries as CSV (RFC 4180): a header, then one row per entry with every field; data is its JSON text. A field
/// that starts with =, +, -, @, a tab or a carriage return gets a leading ' so a spreadsheet shows it instead of running it.
/// </summary>
internal static class AuditCsv
{
    public const string Header = "seq,at,kind,conversationId,runId,agent,principal,tool,toolCallId,decision,reason,data,prevHash,hash";

    public static void AppendRow(StringBuilder row, AuditRecord record)
    {
        var e = record.Entry;
        row.Append(record.Seq);
        foreach (var value in (ReadOnlySpan<string?>)[AuditChain.FormatTime(e.At), e.Kind, e.ConversationId, e.RunId, e.Agent, e.Principal, e.Tool,
                     e.ToolCallId, e.Decision, e.Reason, e.Data is { } data ? JsonSerializer.Serialize(data) : null, record.PrevHash, record.Hash])
        {
            row.Append(',');
            Field(row, value);
        }

        row.Append("\r\n");
    }

    private static void Field(StringBuilder row, string? value)
    {
        if (value is null)
        {
            return;
        }

        // A spreadsheet runs a cell that starts like a formula; the leading ' keeps it text (the JSON Lines export is the verifiable one).
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            row.Append(value);
            return;
        }

        row.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
