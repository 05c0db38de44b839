using System.Diagnostics;
using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Operations;
using AgentSuite.Storage.Sqlite;

namespace AgentSuite.Benchmarks;

/// <summary>
/// <c>GET /api/status/metrics</c>'s computation on a busy file: <c>perDay</c> audit entries a day for three days (the
/// mix of a desk's tool calls: decisions, outcomes, denials, failures, approvals), appended through the chained store
/// in time order, and one turn per ten entries. Times the report (hour and day) against reading the day's entries
/// row by row through <see cref="IAuditStore.ReadAsync"/>, the way a caller without the SQL aggregation would.
/// </summary>
internal sealed class OperationsMetricsBenchmark(TempFolder folder, int perDay)
{
    private const int Days = 3;
    private const int Chunk = 10_000;

    private static readonly JsonElement CallData = JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["argumentsHash"] = new string('a', 64),
        ["arguments"] = new Dictionary<string, object> { ["invoice_id"] = "INV-1002", ["charge_id"] = "CH-2", ["amount"] = 49, ["reason"] = "duplicate charge" },
        ["parentToolCallId"] = "call_1",
    });

    private static readonly JsonElement DeniedData = JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["argumentsHash"] = new string('b', 64),
        ["stage"] = "arguments",
    });

    public async Task<(long Entries, long FileBytes, LatencySummaryMs Report, LatencySummaryMs RowByRow, OperationsWindow Day)> RunAsync()
    {
        var file = folder.NewFile("operations");
        var db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = $"Data Source={file}" });
        var end = DateTimeOffset.UtcNow;
        var start = end.AddDays(-Days);
        var step = TimeSpan.FromDays(1) / perDay;
        long total = (long)perDay * Days;
        using (var audit = new SqliteAuditStore(db))
        {
            for (long first = 0; first < total; first += Chunk)
            {
                var appends = new List<Task<AuditRecord>>(Chunk);
                for (var i = first; i < Math.Min(first + Chunk, total); i++)
                {
                    appends.Add(audit.AppendAsync(Entry(i, start + (step * i))).AsTask());
                }

                await Task.WhenAll(appends);
            }
        }

        await FillTurnsAndApprovalsAsync(db, start, step, total);
        var metrics = new SqliteOperationsMetrics(db);
        var report = await TimeAsync(20, () => metrics.ReadReportAsync(end, end));
        var rowByRow = await TimeAsync(5, async () =>
        {
            var counted = 0L;
            await foreach (var record in new SqliteAuditStore(db).ReadAsync(new AuditQuery { From = end.AddDays(-1), To = end }))
            {
                counted += record.Entry.Decision == "denied" ? 1 : 0;
            }

            return counted;
        });
        var day = await metrics.ReadAsync(MetricsWindow.Day(end));
        db.Dispose();
        return (total, new FileInfo(file).Length, report, rowByRow, day);
    }

    // One turn's worth of entries in ten: five allowed calls and their outcomes, with a denial, a failure and an approval among them.
    private static AuditEntry Entry(long i, DateTimeOffset at) => (i % 10) switch
    {
        0 or 2 or 4 => new AuditEntry(GovernanceEventTypes.ToolDecision, at) { ConversationId = Conversation(i), Agent = "billing", Principal = "alice", Tool = "billing/get_invoice", ToolCallId = "call_1/call_2", Decision = "allowed", Data = CallData },
        1 or 3 => new AuditEntry(GovernanceEventTypes.ToolCompleted, at) { ConversationId = Conversation(i), Agent = "billing", Principal = "alice", Tool = "billing/get_invoice", ToolCallId = "call_1/call_2", Decision = "completed", Data = CallData },
        5 => new AuditEntry(GovernanceEventTypes.ToolFailed, at) { ConversationId = Conversation(i), Agent = "billing", Principal = "alice", Tool = "billing/issue_refund", ToolCallId = "call_1/call_3", Decision = "failed", Reason = "The billing system refused it." },
        6 => new AuditEntry(GovernanceEventTypes.ToolDecision, at) { ConversationId = Conversation(i), Agent = "billing", Principal = "alice", Tool = "billing/issue_refund", ToolCallId = "call_1/call_4", Decision = "denied", Reason = "amount <= 500", Data = DeniedData },
        7 => Approval("approval.requested", null, i, at),
        8 => Approval("approval.resolved", "approved", i - 1, at),
        _ => new AuditEntry(GovernanceEventTypes.ToolCompleted, at) { ConversationId = Conversation(i), Agent = "coordinator", Principal = "alice", Tool = "agents/ask_billing", ToolCallId = "call_1", Decision = "completed", Data = CallData },
    };

    private static AuditEntry Approval(string kind, string? decision, long request, DateTimeOffset at) => new(kind, at)
    {
        ConversationId = Conversation(request),
        Agent = "billing",
        Principal = decision is null ? "alice" : "bob",
        Tool = "billing/issue_refund",
        ToolCallId = "call_1/call_5",
        Decision = decision,
        Data = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["approvalId"] = $"apr_{request}", ["argumentsHash"] = new string('c', 64) }),
    };

    private static string Conversation(long i) => $"conv_{i / 10:D8}";

    /// <summary>Plain rows (what the stores would write), in one transaction: the benchmark times reading them, not writing them.</summary>
    private static async Task FillTurnsAndApprovalsAsync(SqliteGovernanceDatabase db, DateTimeOffset start, TimeSpan step, long total)
    {
        await using var connection = db.Open();
        await using var transaction = connection.BeginTransaction();
        await using var conversation = connection.CreateCommand();
        conversation.CommandText = "INSERT INTO conversations (id, created_by, created_at) VALUES ($conv, 'alice', $started)";
        await using var turn = connection.CreateCommand();
        turn.CommandText = "INSERT INTO turns (run_id, conversation_id, principal, status, started_at, updated_at, ended_at, state) VALUES ($run, $conv, 'alice', $status, $started, $ended, $ended, '{}')";
        await using var approval = connection.CreateCommand();
        approval.CommandText = """
            INSERT INTO approvals (id, conversation_id, run_id, tool_call_id, agent, tool, arguments, arguments_hash, requested_by, requested_at, expires_at, reason, status, decided_by, decided_at)
            VALUES ($id, $conv, $run, 'call_1/call_5', 'billing', 'billing/issue_refund', '{}', 'c', 'alice', $requested, $requested, 'Refunds above 100', 'approved', 'bob', $decided)
            """;
        foreach (var name in new[] { "$run", "$conv", "$status", "$started", "$ended" })
        {
            turn.Parameters.Add(name, Microsoft.Data.Sqlite.SqliteType.Text);
        }

        foreach (var name in new[] { "$conv", "$started" })
        {
            conversation.Parameters.Add(name, Microsoft.Data.Sqlite.SqliteType.Text);
        }

        foreach (var name in new[] { "$id", "$conv", "$run", "$requested", "$decided" })
        {
            approval.Parameters.Add(name, Microsoft.Data.Sqlite.SqliteType.Text);
        }

        for (long i = 0; i < total; i += 10)
        {
            var id = Conversation(i);
            conversation.Parameters["$conv"].Value = id;
            conversation.Parameters["$started"].Value = AuditChain.FormatTime(start + (step * i));
            await conversation.ExecuteNonQueryAsync();
            turn.Parameters["$run"].Value = $"run_{i / 10}";
            turn.Parameters["$conv"].Value = id;
            turn.Parameters["$status"].Value = i % 100 == 0 ? "failed" : "completed";
            turn.Parameters["$started"].Value = AuditChain.FormatTime(start + (step * i));
            turn.Parameters["$ended"].Value = AuditChain.FormatTime(start + (step * (i + 9)));
            await turn.ExecuteNonQueryAsync();
            approval.Parameters["$id"].Value = $"apr_{i + 7}";
            approval.Parameters["$conv"].Value = id;
            approval.Parameters["$run"].Value = $"run_{i / 10}";
            approval.Parameters["$requested"].Value = AuditChain.FormatTime(start + (step * (i + 7)));
            approval.Parameters["$decided"].Value = AuditChain.FormatTime(start + (step * (i + 8)));
            await approval.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private static async Task<LatencySummaryMs> TimeAsync<T>(int runs, Func<Task<T>> run)
    {
        await run();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return new LatencySummaryMs(times[times.Count / 2], times[^1]);
    }
}
