using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Telemetry;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace AgentSuite.Storage.Sqlite;

/// <summary>
/// The audit chain in SQLite. Appends are combined: the first caller to find the writer idle becomes the writer and
/// commits every entry queued meanwhile in one transaction, so concurrent appenders share commits instead of queuing
/// for the file lock. The chain head is cached; another process appending first makes our insert collide on the
/// sequence number, and we re-read the head and retry, so several processes may share one file.
/// When <see cref="AppendAsync"/> returns the entry is committed to the WAL (see <see cref="SqliteDurability"/>).
/// Lookups by conversation use a separate index table that the writer brings up to date every
/// <see cref="CommitsPerIndex"/> commits (inside that commit) and that a query brings up to date before reading.
/// </summary>
public sealed class SqliteAuditStore(SqliteGovernanceDatabase db) : IAuditStore, IDisposable
{
    private const int MaxBatch = 256;
    private const int CommitsPerIndex = 64;

    // Built from the table, not from memory, so rows appended by another process sharing the file are indexed too.
    private const string IndexPendingSql = """
        INSERT OR IGNORE INTO audit_conversation (conversation_id, seq)
            SELECT conversation_id, seq FROM audit_log
            WHERE seq > (SELECT indexed_through FROM audit_index_state WHERE id = 1) AND conversation_id IS NOT NULL;
        UPDATE audit_index_state SET indexed_through = (SELECT COALESCE(MAX(seq), 0) FROM audit_log) WHERE id = 1;
        """;

    private const int SqliteConstraintPrimaryKey = 1555;

    private readonly Lock _gate = new();
    private readonly Queue<Pending> _queue = new();
    private bool _writing;
    private SqliteConnection? _connection;
    // The append statement is stepped through SQLitePCL on the Microsoft.Data.Sqlite connection's own handle: on the
    // hottest statement of every governed call that saves ~4 µs and ~1.5 KB of ADO.NET overhead per entry.
    private sqlite3_stmt? _insert;
    private SqliteCommand? _index;
    private int _commitsSinceIndex;
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
        if (query.ConversationId is not null)
        {
            using var writeTurn = await db.EnterWriteAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction();
            await using var index = connection.CreateCommand();
            index.Transaction = transaction;
            index.CommandText = IndexPendingSql;
            await index.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = AuditQuerySql.Select(query, Columns, command.Parameters);
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
            _index?.Dispose();
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
                AppMetrics.RecordAuditAppend(p.Queued, null);
                p.Completion?.TrySetResult(p.Record!);
            }
        }
        catch (Exception ex)
        {
            ResetWriter();
            foreach (var p in batch)
            {
                AppMetrics.RecordAuditAppend(p.Queued, ex.GetType().FullName);
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
        // The head is read and extended within one write turn, so another writer of this process cannot slip in between.
        using var writeTurn = db.EnterWrite();
        var connection = EnsureWriter();

        // An unknown head is read inside the write transaction (BEGIN IMMEDIATE), so no other process can append
        // between reading it and chaining onto it; a cached head needs no read, and a stale one collides and is reloaded.
        var reload = _headSeq < 0;
        var indexNow = _commitsSinceIndex + 1 >= CommitsPerIndex;
        using var transaction = batch.Count > 1 || indexNow || reload ? connection.BeginTransaction() : null;
        if (reload)
        {
            LoadHead(connection, transaction);
        }

        var seq = _headSeq;
        var prev = _headHash;
        foreach (var p in batch)
        {
            seq++;
            var record = AuditChain.Link(seq, p.Entry, prev, out var canonicalData);
            Insert(connection, _insert!, record, canonicalData);
            p.Record = record;
            prev = record.Hash;
        }

        if (indexNow)
        {
            _index!.Transaction = transaction;
            _index.ExecuteNonQuery();
        }

        transaction?.Commit();
        _commitsSinceIndex = indexNow ? 0 : _commitsSinceIndex + 1;
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
        var rc = raw.sqlite3_prepare_v2(
            _connection.Handle,
            "INSERT INTO audit_log (seq, at, kind, conversation_id, run_id, agent, principal, tool, tool_call_id, decision, reason, data, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            out _insert);
        SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        _index = _connection.CreateCommand();
        _index.CommandText = IndexPendingSql;
        return _connection;
    }

    private void ResetWriter()
    {
        _index?.Dispose();
        _index = null;
        _insert?.Dispose();
        _connection?.Dispose();
        _insert = null;
        _connection = null;
        _headSeq = -1;
    }

    private void LoadHead(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        (_headSeq, _headHash) = reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditChain.Genesis);
    }

    private const string Columns = "audit_log.seq, at, kind, audit_log.conversation_id, run_id, agent, principal, tool, tool_call_id, decision, reason, data, prev_hash, hash";

    private static void Insert(SqliteConnection connection, sqlite3_stmt insert, AuditRecord record, string? canonicalData)
    {
        var e = record.Entry;
        try
        {
            raw.sqlite3_bind_int64(insert, 1, record.Seq);
            Span<char> at = stackalloc char[40];
            Check(raw.sqlite3_bind_text16(insert, 2, at[..AuditChain.FormatTime(e.At, at)]));
            Text(3, e.Kind);
            Text(4, e.ConversationId);
            Text(5, e.RunId);
            Text(6, e.Agent);
            Text(7, e.Principal);
            Text(8, e.Tool);
            Text(9, e.ToolCallId);
            Text(10, e.Decision);
            Text(11, e.Reason);
            Text(12, canonicalData);
            Text(13, record.PrevHash);
            Text(14, record.Hash);
            var rc = raw.sqlite3_step(insert);
            if (rc != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            }
        }
        finally
        {
            raw.sqlite3_reset(insert);
            raw.sqlite3_clear_bindings(insert);
        }

        void Text(int index, string? value) =>
            Check(value is null ? raw.sqlite3_bind_null(insert, index) : raw.sqlite3_bind_text16(insert, index, value));

        void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, connection.Handle);
            }
        }
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

        /// <summary>When it was appended, for the append-latency metric; 0 when nothing listens to that metric.</summary>
        public long Queued { get; } = AppMetrics.AuditAppend.Enabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;

        public Exception? Error { get; set; }
    }
}
