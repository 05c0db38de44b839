using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Conversations;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Api.Tests.Support;

/// <summary>
/// A data folder whose SQLite file holds a day and more of history ending at a chosen instant, written through the real
/// stores: turns, approvals and audit entries in time order among routine entries every ten minutes, some just outside
/// the hour and the day, and some after the end.
/// </summary>
internal static class KnownHistory
{
    public static async Task WriteAsync(string folder, DateTimeOffset end)
    {
        Directory.CreateDirectory(folder);
        var db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={Path.Combine(folder, "agentsuite.db")}" });
        try
        {
            var conversations = new SqliteConversationStore(db);
            var turns = new SqliteTurnStore(db);
            var approvals = new SqliteApprovalStore(db);
            using var audit = new SqliteAuditStore(db);
            await conversations.CreateAsync("conv_known", "alice", null, end.AddDays(-2));

            // Outside both windows; abandoned in the day only; completed and failed in the hour too.
            await TurnAsync(turns, "run_0", end.AddHours(-25), TimeSpan.FromSeconds(1), TurnStatus.Completed);
            await TurnAsync(turns, "run_3", end.AddHours(-3), TimeSpan.FromSeconds(4), TurnStatus.Abandoned);
            await TurnAsync(turns, "run_1", end.AddMinutes(-30), TimeSpan.FromSeconds(2), TurnStatus.Completed);
            await TurnAsync(turns, "run_2", end.AddMinutes(-10), TimeSpan.FromSeconds(10), TurnStatus.Failed);

            await ApprovalAsync(approvals, "apr_2", end.AddHours(-2), end.AddMinutes(-90), ApprovalStatus.TimedOut);
            await ApprovalAsync(approvals, "apr_1", end.AddMinutes(-20), end.AddMinutes(-19), ApprovalStatus.Approved);

            var entries = new List<AuditEntry>
            {
                Denied(end.AddHours(-26), "arguments"),
                Denied(end.AddHours(-5), "kill-switch"),
                Approval("approval.requested", null, "apr_2", end.AddHours(-2)),
                Approval("approval.resolved", "timed_out", "apr_2", end.AddMinutes(-90)),
                Call("tool.failed", "failed", "crm/create_case", end.AddMinutes(-50)),
                Call("tool.failed", "cancelled", "crm/create_case", end.AddMinutes(-45)),
                Call("tool.decision", "denied", "billing/issue_refund", end.AddMinutes(-40)),
                Approval("approval.requested", null, "apr_1", end.AddMinutes(-20)),
                Approval("approval.resolved", "approved", "apr_1", end.AddMinutes(-19)),
                Denied(end.AddMinutes(-15), "arguments"),
                Call("tool.decision", "allowed", "billing/issue_refund", end.AddMinutes(-10)),
                Denied(end.AddMinutes(1), "limits"),
                Approval("approval.requested", null, "apr_3", end.AddMinutes(5)),
            };
            for (var at = end.AddHours(-30).AddMinutes(3); at < end.AddMinutes(30); at = at.AddMinutes(10))
            {
                entries.Add(new AuditEntry("governance.tool_observed", at) { Tool = "crm/find_customer" });
            }

            foreach (var entry in entries.OrderBy(e => e.At))
            {
                await audit.AppendAsync(entry);
            }
        }
        finally
        {
            db.Dispose();
            SqliteConnection.ClearAllPools();
        }
    }

    private static async Task TurnAsync(SqliteTurnStore turns, string runId, DateTimeOffset started, TimeSpan took, string status)
    {
        var turn = new TurnRecord("conv_known", runId, "alice", TurnStatus.Running, started) { UpdatedAt = started };
        Assert.True(await turns.TryStartAsync(turn, new ConversationMessage("user", null, "hello", started)));
        var ended = started + took;
        Assert.True(await turns.FinishAsync(turn with { Status = status, UpdatedAt = ended, EndedAt = ended }, null));
    }

    private static async Task ApprovalAsync(SqliteApprovalStore approvals, string id, DateTimeOffset requested, DateTimeOffset decided, ApprovalStatus status)
    {
        await approvals.CreateAsync(new ApprovalRequest
        {
            Id = id,
            ConversationId = "conv_known",
            RunId = "run_1",
            ToolCallId = "call_1/call_" + id,
            Agent = "billing",
            Tool = "billing/issue_refund",
            Arguments = "{}",
            ArgumentsHash = "hash",
            RequestedBy = "alice",
            RequestedAt = requested,
            ExpiresAt = requested.AddHours(1),
            Reason = "Refunds above 100 need a second person.",
        });
        Assert.True(await approvals.TryResolveAsync(id, status, "bob", null, decided));
    }

    private static AuditEntry Call(string kind, string decision, string tool, DateTimeOffset at) =>
        new(kind, at) { ConversationId = "conv_known", Agent = "billing", Tool = tool, ToolCallId = "call_1", Decision = decision };

    private static AuditEntry Denied(DateTimeOffset at, string stage) =>
        Call(GovernanceEventTypes.ToolDecision, "denied", "billing/issue_refund", at) with
        {
            Data = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["stage"] = stage }),
        };

    private static AuditEntry Approval(string kind, string? decision, string approvalId, DateTimeOffset at) =>
        new(kind, at)
        {
            ConversationId = "conv_known",
            Tool = "billing/issue_refund",
            Decision = decision,
            Data = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["approvalId"] = approvalId }),
        };
}
