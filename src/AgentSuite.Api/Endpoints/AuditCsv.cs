using System.Text;
using System.Text.Json;
using AgentSuite.Governance.Audit;

namespace AgentSuite.Api.Endpoints;

/// <summary>Audit entries as CSV (RFC 4180): a header, then one row per entry with every field; data is its JSON text.</summary>
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

        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            row.Append(value);
            return;
        }

        row.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
