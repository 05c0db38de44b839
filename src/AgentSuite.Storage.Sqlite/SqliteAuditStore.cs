using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentSuite.Governance.Audit;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

/// <summary>
/// The audit chain in SQLite. Appends are combined: the first caller to find the writer idle becomes the writer and
/// commits every entry queued meanwhile in one transaction, so concurrent appenders share commits instead of queuing
/// for the file lock. The chain head is cached; another process appending first makes our insert collide on the
/// sequence number, and we re-read the head and retry, so several processes may share one file.
/// When <see cref="AppendAsync"/> returns the entry is committed to the WAL (see <see cref="SqliteDurability"/>).
/// </summary>
public sealed class SqliteAuditStore(SqliteGovernanceDatabase db) : IAuditStore, IDisposable
{
    private const int MaxBatch = 256;
    private const int SqliteConstraintPrimaryKey = 1555;

    private readonly Lock _gate = new();
    private readonly Queue<Pending> _queue = new();
    private bool _writing;
    private SqliteConnection? _connection;
    private SqliteCommand? _insert;
    private long _headSeq = -1;
    private string _headHash = AuditChain.Genesis;

    public ValueTask<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Pending pending;
        bool writer;
        lock (_gate)
        {
            writer = !_writing;
            _writing = true;
            pending = new Pending(entry, waits: !writer);
            _queue.Enqueue(pending);
        }

        if (!writer)
        {
            return new ValueTask<AuditRecord>(pending.Completion!.Task);
        }

        // This caller writes: its own entry is in the first batch, so it returns without a thread hop.
        DrainOnce();
        if (!HandOff())
        {
            return pending.Error is null ? new ValueTask<AuditRecord>(pending.Record!) : ValueTask.FromException<AuditRecord>(pending.Error);
        }

        _ = Task.Run(DrainAll, CancellationToken.None);
        return pending.Error is null ? new ValueTask<AuditRecord>(pending.Record!) : ValueTask.FromException<AuditRecord>(pending.Error);
    }

    public async IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT seq, at, kind, conversation_id, run_id, agent, principal, tool, tool_call_id, decision, reason, data, prev_hash, hash
            FROM audit_log
            WHERE seq > $after AND ($conversation IS NULL OR conversation_id = $conversation)
            ORDER BY seq
            LIMIT $limit
            """;
        command.Parameters.AddWithValue("$after", query.AfterSeq);
        command.Parameters.AddWithValue("$conversation", (object?)query.ConversationId ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Read(reader);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _insert?.Dispose();
            _connection?.Dispose();
            _insert = null;
            _connection = null;
        }
    }

    private void DrainAll()
    {
        do
        {
            DrainOnce();
        }
        while (HandOff());
    }

    /// <summary>True when more entries are queued and this thread keeps the writer role; false releases it.</summary>
    private bool HandOff()
    {
        lock (_gate)
        {
            if (_queue.Count > 0)
            {
                return true;
            }

            _writing = false;
            return false;
        }
    }

    private void DrainOnce()
    {
        List<Pending> batch;
        lock (_gate)
        {
            batch = new List<Pending>(Math.Min(_queue.Count, MaxBatch));
            while (_queue.Count > 0 && batch.Count < MaxBatch)
            {
                batch.Add(_queue.Dequeue());
            }
        }

        try
        {
            WriteWithRetry(batch);
            foreach (var p in batch)
            {
                p.Completion?.TrySetResult(p.Record!);
            }
        }
        catch (Exception ex)
        {
            ResetWriter();
            foreach (var p in batch)
            {
                p.Error = ex;
                p.Completion?.TrySetException(ex);
            }
        }
    }

    private void WriteWithRetry(List<Pending> batch)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Write(batch);
                return;
            }
            catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintPrimaryKey && attempt < 8)
            {
                // Another process appended since we cached the head: reload it and chain after theirs.
                _headSeq = -1;
            }
        }
    }

    private void Write(List<Pending> batch)
    {
        var connection = EnsureWriter();
        if (_headSeq < 0)
        {
            LoadHead(connection);
        }

        var seq = _headSeq;
        var prev = _headHash;
        using var transaction = batch.Count > 1 ? connection.BeginTransaction() : null;
        _insert!.Transaction = transaction;
        foreach (var p in batch)
        {
            seq++;
            var record = AuditChain.Link(seq, p.Entry, prev, out var canonicalData);
            Bind(_insert, record, canonicalData);
            _insert.ExecuteNonQuery();
            p.Record = record;
            prev = record.Hash;
        }

        transaction?.Commit();
        _headSeq = seq;
        _headHash = prev;

    }

    private SqliteConnection EnsureWriter()
    {
        if (_connection is not null)
        {
            return _connection;
        }

        _connection = db.Open();
        _insert = _connection.CreateCommand();
        _insert.CommandText = """
            INSERT INTO audit_log (seq, at, kind, conversation_id, run_id, agent, principal, tool, tool_call_id, decision, reason, data, prev_hash, hash)
            VALUES ($seq, $at, $kind, $conversation, $run, $agent, $principal, $tool, $call, $decision, $reason, $data, $prev, $hash)
            """;
        foreach (var name in (string[])["$seq", "$at", "$kind", "$conversation", "$run", "$agent", "$principal", "$tool", "$call", "$decision", "$reason", "$data", "$prev", "$hash"])
        {
            _insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _insert.Prepare();
        return _connection;
    }

    private void ResetWriter()
    {
        _insert?.Dispose();
        _connection?.Dispose();
        _insert = null;
        _connection = null;
        _headSeq = -1;
    }

    private void LoadHead(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        (_headSeq, _headHash) = reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditChain.Genesis);
    }

    private static void Bind(SqliteCommand insert, AuditRecord record, string? canonicalData)
    {
        var e = record.Entry;
        var p = insert.Parameters;
        p[0].Value = record.Seq;
        p[1].Value = AuditChain.FormatTime(e.At);
        p[2].Value = e.Kind;
        p[3].Value = (object?)e.ConversationId ?? DBNull.Value;
        p[4].Value = (object?)e.RunId ?? DBNull.Value;
        p[5].Value = (object?)e.Agent ?? DBNull.Value;
        p[6].Value = (object?)e.Principal ?? DBNull.Value;
        p[7].Value = (object?)e.Tool ?? DBNull.Value;
        p[8].Value = (object?)e.ToolCallId ?? DBNull.Value;
        p[9].Value = (object?)e.Decision ?? DBNull.Value;
        p[10].Value = (object?)e.Reason ?? DBNull.Value;
        p[11].Value = (object?)canonicalData ?? DBNull.Value;
        p[12].Value = record.PrevHash;
        p[13].Value = record.Hash;
    }

    private static AuditRecord Read(SqliteDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var entry = new AuditEntry(Text(2)!, DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind))
        {
            ConversationId = Text(3),
            RunId = Text(4),
            Agent = Text(5),
            Principal = Text(6),
            Tool = Text(7),
            ToolCallId = Text(8),
            Decision = Text(9),
            Reason = Text(10),
            Data = Text(11) is { } json ? JsonSerializer.Deserialize<JsonElement>(json) : null,
        };
        return new AuditRecord(r.GetInt64(0), entry, r.GetString(12), r.GetString(13));
    }

    private sealed class Pending(AuditEntry entry, bool waits)
    {
        public AuditEntry Entry { get; } = entry;

        public TaskCompletionSource<AuditRecord>? Completion { get; } = waits ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;

        public AuditRecord? Record { get; set; }

        public Exception? Error { get; set; }
    }
}
