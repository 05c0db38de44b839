using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using AgentSuite.Governance.Audit;
using AgentSuite.Governance.Telemetry;
using Npgsql;
using NpgsqlTypes;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// The audit chain in PostgreSQL: one chain for every instance sharing the database. Appends queue for one writer per
/// instance, which commits what queued meanwhile as one transaction: it locks the chain's head row, links each entry
/// after it (<see cref="AuditChain"/>), inserts the batch, moves the head and commits, in two round trips. Instances
/// take turns on the head row, so their appends interleave into one gapless chain. <see cref="AppendAsync"/> completes
/// once the entry's transaction has committed. The writer runs on its own thread with blocking I/O: while it holds the
/// head row every instance waits, so its wake-ups must not queue behind the thread pool's other work. Its connection,
/// outside the pool, bounds how long any instance can hold the head: the server ends a session idle in its transaction
/// after <see cref="IdleInTransaction"/> (an instance frozen or cut off while holding the head), and a writer that waits
/// longer than <see cref="LockWait"/> for the head fails that batch's appends; the next batch tries again.
/// </summary>
public sealed class PostgresAuditStore : IAuditStore, IDisposable, IAsyncDisposable
{
    /// <summary>The most entries one transaction carries.</summary>
    public const int MaxBatch = 256;

    /// <summary>How long the server lets a writer's session sit idle inside its transaction before ending it and releasing the head.</summary>
    public static readonly TimeSpan IdleInTransaction = TimeSpan.FromSeconds(5);

    /// <summary>How long a writer waits for the head row before its batch fails.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    // idle_in_transaction_session_timeout: the server ended the session, before running anything more on it.
    private const string IdleInTransactionTimeout = "25P03";

    private const string LockHeadSql = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";

    private const string AppendSql = """
        WITH appended AS (
            INSERT INTO audit_log (seq, at, at_tick, kind, conversation_id, run_id, agent, principal, tool, tool_call_id, decision, reason, data, prev_hash, hash)
            SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[])
        )
        UPDATE audit_head SET seq = $16, hash = $17 WHERE id = 1
        """;

    private readonly PostgresGovernanceDatabase _db;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _writer;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NpgsqlConnection? _connection;
    private NpgsqlBatch? _lockHead;
    private NpgsqlBatch? _append;
    private bool _appendSent;

    public PostgresAuditStore(PostgresGovernanceDatabase db)
    {
        _db = db;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "PostgreSQL audit writer" };
        _writer.Start();
    }

    /// <summary>The most entries one statement of <see cref="ReadAsync"/> reads.</summary>
    internal int PageSize { get; init; } = 10_000;

    public ValueTask<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            // An entry that cannot be canonicalised fails here, on its own, not inside the writer's batch with every entry queued beside it.
            _ = AuditChain.CanonicalJson(0, entry);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or JsonException or FormatException or NotSupportedException)
        {
            return ValueTask.FromException<AuditRecord>(new ArgumentException($"The audit entry '{entry.Kind}' cannot be written: its data has no canonical JSON form to hash ({ex.Message}).", nameof(entry), ex));
        }

        var pending = new Pending(entry);
        return _queue.Writer.TryWrite(pending)
            ? new ValueTask<AuditRecord>(pending.Completion.Task)
            : ValueTask.FromException<AuditRecord>(new ObjectDisposedException(nameof(PostgresAuditStore), "The audit store is shut down; nothing more is appended."));
    }

    /// <summary>
    /// The matching entries in sequence order, read <see cref="PageSize"/> at a time, each page one statement after the
    /// last sequence number read: reading the whole chain (verification) holds no snapshot open for longer than a page,
    /// so vacuum is not held back meanwhile.
    /// </summary>
    public async IAsyncEnumerable<AuditRecord> ReadAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await _db.OpenAsync(cancellationToken);
        var (after, left) = (query.AfterSeq, query.Limit);
        while (left > 0)
        {
            var page = query with { AfterSeq = after, Limit = Math.Min(left, PageSize) };
            var read = 0;
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = PostgresAuditQuerySql.Select(page, command.Parameters);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var record = Read(reader);
                    (after, read) = (record.Seq, read + 1);
                    yield return record;
                }
            }

            if (read < page.Limit)
            {
                yield break;
            }

            left -= read;
        }
    }

    /// <summary>Writes the entries already queued, refuses later ones, and closes the writer's connection.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Join();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopped.Task.ConfigureAwait(false);
    }

    private void WriteLoop()
    {
        try
        {
            WriteBatches();
        }
        finally
        {
            ResetWriter(rollBack: false);
            _stopped.TrySetResult();
        }
    }

    private void WriteBatches()
    {
        var batch = new List<Pending>(MaxBatch);
        while (WaitForEntries())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                WriteRetryingOnce(batch);
                foreach (var p in batch)
                {
                    AppMetrics.RecordAuditAppend(p.Queued, null);
                    p.Completion.TrySetResult(p.Record!);
                }
            }
            catch (Exception ex)
            {
                ResetWriter(rollBack: true);
                foreach (var p in batch)
                {
                    AppMetrics.RecordAuditAppend(p.Queued, ex.GetType().FullName);
                    p.Completion.TrySetException(ex);
                }
            }

            batch.Clear();
        }
    }

    /// <summary>Blocks this thread until an entry is queued; false once the store is disposed and the queue is empty.</summary>
    private bool WaitForEntries()
    {
        var wait = _queue.Reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Writes the batch, trying again once on a fresh connection when the first try certainly wrote nothing: the
    /// connection failed before the insert was sent, or the server ended the session while it sat in its transaction
    /// (a stall of this process longer than <see cref="IdleInTransaction"/>), which it does before running anything more.
    /// </summary>
    private void WriteRetryingOnce(List<Pending> batch)
    {
        try
        {
            Write(batch);
        }
        catch (Exception ex) when (ex is PostgresException { SqlState: IdleInTransactionTimeout } || (ex is NpgsqlException { InnerException: not PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable } } && !_appendSent))
        {
            ResetWriter(rollBack: true);
            Write(batch);
        }
    }

    private void Write(List<Pending> batch)
    {
        _appendSent = false;
        EnsureWriter();

        // Round trip 1: BEGIN and lock the head; every other instance's writer waits here until we commit.
        long seq;
        string prev;
        using (var reader = LockHead())
        {
            if (!reader.Read())
            {
                throw new InvalidOperationException("The audit chain's head row (audit_head, id 1) is missing: the PostgreSQL audit schema was altered.");
            }

            (seq, prev) = (reader.GetInt64(0), reader.GetString(1));
        }

        var rows = new AuditRows(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var record = AuditChain.Link(++seq, batch[i].Entry, prev, out var canonicalData);
            rows.Set(i, record, canonicalData);
            batch[i].Record = record;
            prev = record.Hash;
        }

        // Round trip 2: insert the batch, move the head, commit.
        var parameters = _append!.BatchCommands[0].Parameters;
        rows.Bind(parameters);
        parameters[15].Value = seq;
        parameters[16].Value = prev;
        _appendSent = true;
        _append.ExecuteNonQuery();
    }

    private NpgsqlDataReader LockHead()
    {
        try
        {
            return _lockHead!.ExecuteReader();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            throw new NpgsqlException($"The audit chain's head row stayed locked by another instance's writer for more than {LockWait.TotalSeconds:0} s, so these entries were not appended; appends are tried again with the next batch. If this repeats, look for a session holding audit_head (pg_stat_activity, pg_locks).", ex);
        }
    }

    private void EnsureWriter()
    {
        if (_connection is not null)
        {
            return;
        }

        _connection = new NpgsqlConnection(WriterConnectionString(_db));
        _connection.Open();
        using (var limits = new NpgsqlCommand(WriterSettingsSql, _connection))
        {
            limits.ExecuteNonQuery();
        }

        _lockHead = new NpgsqlBatch(_connection) { BatchCommands = { new NpgsqlBatchCommand("BEGIN"), new NpgsqlBatchCommand(LockHeadSql) } };
        var append = new NpgsqlBatchCommand(AppendSql);
        foreach (var type in AuditRows.Types)
        {
            append.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
        }

        append.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Bigint });
        append.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text });
        _append = new NpgsqlBatch(_connection) { BatchCommands = { append, new NpgsqlBatchCommand("COMMIT") } };
        _lockHead.Prepare();
        _append.Prepare();
    }

    /// <summary>The writer's connection: its own, outside the pool (held while appending), with a keepalive so a cut is noticed.</summary>
    internal static string WriterConnectionString(PostgresGovernanceDatabase db) =>
        new NpgsqlConnectionStringBuilder(db.Options.ConnectionString) { Pooling = false, KeepAlive = 10, ApplicationName = "agentsuite-audit-writer" }.ConnectionString;

    /// <summary>The writer's session limits, run once on each connection it opens.</summary>
    internal static string WriterSettingsSql =>
        $"SET idle_in_transaction_session_timeout = {(int)IdleInTransaction.TotalMilliseconds}; SET lock_timeout = {(int)LockWait.TotalMilliseconds}";

    /// <summary>Drops the writer's connection (after a failed batch, rolling back what it had open), so the next batch starts on a fresh one.</summary>
    private void ResetWriter(bool rollBack)
    {
        var connection = _connection;
        _connection = null;
        _lockHead = null;
        _append = null;
        if (connection is null || !rollBack)
        {
            connection?.Dispose();
            return;
        }

        try
        {
            // The failed batch's transaction (and the head row's lock) ends here, before the connection goes back to the pool.
            using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            rollback.ExecuteNonQuery();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A broken connection: the server ends its transaction when the session goes.
        }
        finally
        {
            connection.Dispose();
        }
    }

    private static AuditRecord Read(NpgsqlDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var entry = new AuditEntry(r.GetString(3), PostgresAuditTime.Join(r.GetFieldValue<DateTime>(1), r.GetInt16(2)))
        {
            ConversationId = Text(4),
            RunId = Text(5),
            Agent = Text(6),
            Principal = Text(7),
            Tool = Text(8),
            ToolCallId = Text(9),
            Decision = Text(10),
            Reason = Text(11),
            Data = Text(12) is { } json ? JsonSerializer.Deserialize<JsonElement>(json) : null,
        };
        return new AuditRecord(r.GetInt64(0), entry, r.GetString(13), r.GetString(14));
    }

    private sealed class Pending(AuditEntry entry)
    {
        public AuditEntry Entry { get; } = entry;

        public TaskCompletionSource<AuditRecord> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public AuditRecord? Record { get; set; }

        /// <summary>When it was appended, for the append-latency metric; 0 when nothing listens to that metric.</summary>
        public long Queued { get; } = AppMetrics.AuditAppend.Enabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
    }
}
