using AgentSuite.Governance.Cluster;
using AgentSuite.Governance.Conversations;
using Npgsql;
using NpgsqlTypes;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// Turns and their checkpoints in PostgreSQL, leased to the instance running them. A partial unique index keeps one active
/// turn per conversation cluster-wide. Every claim of a turn increments its <c>lease_epoch</c>, and a turn's writes are
/// fenced by the owner and the epoch its run started or claimed under: a run under an older claim (another instance's,
/// or this one's before a peer took the turn and this one claimed it back) is refused with
/// <see cref="TurnLeaseLostException"/> instead of writing over the new run's checkpoint. Every fenced write extends the
/// lease, so a write that goes through guarantees a full lease ahead. A lease that expired but nobody has claimed yet is
/// re-taken by the holder's next fenced write (the row lock orders it against a claim: whichever comes first wins, and the
/// other sees the changed row). Lease times are the database's clock (now()), so instances whose clocks differ agree.
/// </summary>
public sealed class PostgresTurnStore(PostgresGovernanceDatabase db, InstanceIdentity instance) : ITurnStore
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS turns (
            run_id          TEXT COLLATE "C" PRIMARY KEY,
            seq             BIGINT GENERATED ALWAYS AS IDENTITY,
            conversation_id TEXT COLLATE "C" NOT NULL REFERENCES conversations(id),
            principal       TEXT NOT NULL,
            status          TEXT NOT NULL,
            started_at      TIMESTAMPTZ NOT NULL,
            updated_at      TIMESTAMPTZ NOT NULL,
            ended_at        TIMESTAMPTZ,
            reason          TEXT,
            approval_id     TEXT,
            state           TEXT NOT NULL,
            owner_instance  TEXT NOT NULL,
            lease_until     TIMESTAMPTZ NOT NULL
        );
        ALTER TABLE turns ADD COLUMN IF NOT EXISTS lease_epoch BIGINT NOT NULL DEFAULT 0;
        -- A conversation's latest turn is its highest seq (its starts are serialised by ux_turns_active), not the latest
        -- started_at, which is the clock of whichever instance started it.
        DROP INDEX IF EXISTS ix_turns_conversation;
        CREATE INDEX IF NOT EXISTS ix_turns_conversation_seq ON turns (conversation_id, seq);
        -- The operations figures count turns by when they ended.
        CREATE INDEX IF NOT EXISTS ix_turns_ended ON turns (ended_at);
        -- One active turn per conversation, whichever instance starts it.
        CREATE UNIQUE INDEX IF NOT EXISTS ux_turns_active ON turns (conversation_id) WHERE status IN ('running', 'waiting');
        -- The expired leases every instance looks for.
        CREATE INDEX IF NOT EXISTS ix_turns_lease ON turns (lease_until) WHERE status IN ('running', 'waiting');
        """;

    private const string Columns = "conversation_id, run_id, principal, status, started_at, updated_at, ended_at, reason, approval_id, state, lease_epoch";
    private const string Active = "status IN ('running', 'waiting')";
    private static readonly string ClaimedColumns = string.Join(", ", Columns.Split(", ").Select(c => "t." + c));
    private const string Mine = Active + " AND owner_instance = @me";

    // The run's own claim: no claim since (a claim increments the epoch) and still this instance's.
    private const string Fenced = "run_id = @run AND " + Mine + " AND lease_epoch = @epoch";

    // Expired leases claimed per call: a dead peer's turns are spread over the instances' next ticks, not all taken by one.
    private const int ClaimBatch = 16;

    public bool LeasesTurns => true;

    public TimeSpan? LeaseDuration => db.Options.TurnLease;

    public async Task<bool> TryStartAsync(TurnRecord turn, ConversationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(message);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM conversations WHERE id = @id)", connection, transaction))
        {
            exists.Parameters.AddWithValue("id", turn.ConversationId);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                throw new KeyNotFoundException($"No conversation '{turn.ConversationId}' exists.");
            }
        }

        // The partial unique index decides between instances starting at once: the loser's insert waits for the
        // winner's commit, then adds nothing.
        await using (var insert = new NpgsqlCommand($"""
            INSERT INTO turns ({Columns}, owner_instance, lease_until)
            VALUES (@conversation, @run, @principal, @status, @started, @updated, NULL, NULL, @approval, @state, @epoch, @me, now() + @lease)
            ON CONFLICT (conversation_id) WHERE {Active} DO NOTHING
            """, connection, transaction))
        {
            Bind(insert, turn);
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return false;
            }
        }

        await PostgresConversationStore.InsertMessageAsync(connection, transaction, turn.ConversationId, message, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task SaveAsync(TurnRecord turn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"UPDATE turns SET status = @status, updated_at = @updated, approval_id = @approval, state = @state, lease_until = now() + @lease WHERE {Fenced}", connection);
        Bind(command, turn);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            await ThrowIfNotThisRunAsync(connection, turn, cancellationToken);
        }
    }

    public async Task<bool> FinishAsync(TurnRecord turn, ConversationMessage? reply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"""
            UPDATE turns SET status = @status, updated_at = @updated, ended_at = @ended, reason = @reason, approval_id = NULL, state = @state
            WHERE {Fenced}
            """, connection, transaction))
        {
            Bind(command, turn);
            command.Parameters.AddWithValue("ended", NpgsqlDbType.TimestampTz, (turn.EndedAt ?? turn.UpdatedAt).ToUniversalTime());
            command.Parameters.AddWithValue("reason", NpgsqlDbType.Text, (object?)turn.Reason ?? DBNull.Value);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                await ThrowIfHeldElsewhereAsync(connection, transaction, turn.RunId, cancellationToken);
                return false;
            }
        }

        if (reply is not null)
        {
            await PostgresConversationStore.InsertMessageAsync(connection, transaction, turn.ConversationId, reply, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public Task<TurnRecord?> GetAsync(string runId, CancellationToken cancellationToken = default) =>
        OneAsync("run_id = @key", runId, cancellationToken);

    public Task<TurnRecord?> GetLatestAsync(string conversationId, CancellationToken cancellationToken = default) =>
        OneAsync("conversation_id = @key ORDER BY seq DESC LIMIT 1", conversationId, cancellationToken);

    public async Task<IReadOnlyList<TurnRecord>> ListActiveAsync(CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand($"SELECT {Columns} FROM turns WHERE {Active} ORDER BY started_at, seq");
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<TurnRecord>> ClaimUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        // Rows another instance is claiming or writing at this moment are skipped, not waited for, and rechecked once
        // locked, so every expired turn goes to exactly one claimant, and a holder's fenced write re-taking its expired
        // lease is never overtaken. The new epoch fences off every earlier run of the turn, on any instance.
        await using var command = db.DataSource.CreateCommand($"""
            WITH picked AS MATERIALIZED (
                SELECT run_id FROM turns WHERE {Active} AND lease_until < now() ORDER BY seq LIMIT {ClaimBatch} FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE turns t SET owner_instance = @me, lease_until = now() + @lease, lease_epoch = t.lease_epoch + 1
                FROM picked WHERE t.run_id = picked.run_id
                RETURNING {ClaimedColumns}, t.seq)
            SELECT {Columns} FROM claimed ORDER BY started_at, seq
            """);
        command.Parameters.AddWithValue("me", instance.Name);
        command.Parameters.AddWithValue("lease", db.Options.TurnLease);
        return await ReadAsync(command, cancellationToken);
    }

    public async Task HoldLeaseAsync(TurnRecord turn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turn);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"UPDATE turns SET lease_until = now() + @lease WHERE {Fenced}", connection);
        command.Parameters.AddWithValue("run", NpgsqlDbType.Text, turn.RunId);
        command.Parameters.AddWithValue("me", NpgsqlDbType.Text, instance.Name);
        command.Parameters.AddWithValue("epoch", NpgsqlDbType.Bigint, turn.LeaseEpoch);
        command.Parameters.AddWithValue("lease", db.Options.TurnLease);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            await ThrowIfNotThisRunAsync(connection, turn, cancellationToken);
        }
    }

    public async Task<int> RenewLeasesAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        if (runIds.Count == 0)
        {
            return 0;
        }

        await using var command = db.DataSource.CreateCommand($"UPDATE turns SET lease_until = now() + @lease WHERE run_id = ANY(@running) AND {Mine}");
        command.Parameters.AddWithValue("running", runIds.ToArray());
        command.Parameters.AddWithValue("me", instance.Name);
        command.Parameters.AddWithValue("lease", db.Options.TurnLease);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseLeasesAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        if (runIds.Count == 0)
        {
            return;
        }

        await using var command = db.DataSource.CreateCommand($"UPDATE turns SET lease_until = now() - interval '1 millisecond' WHERE run_id = ANY(@stopped) AND {Mine}");
        command.Parameters.AddWithValue("stopped", runIds.ToArray());
        command.Parameters.AddWithValue("me", instance.Name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // A fenced write changed nothing: the turn has ended (nothing to do), or a later claim (by another instance, or by
    // this one for a new run) has taken it over.
    private static async Task ThrowIfHeldElsewhereAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT owner_instance FROM turns WHERE run_id = @run AND {Active}", connection, transaction);
        command.Parameters.AddWithValue("run", runId);
        if (await command.ExecuteScalarAsync(cancellationToken) is string holder)
        {
            throw new TurnLeaseLostException(runId, holder);
        }
    }

    // A fenced write or lease check changed nothing. Nothing to do only when this very run (owner and epoch) ended the
    // turn; a turn that is active elsewhere, or that another instance or a later claim ended, is lost to this run, so a
    // stale run stops here before any side effect instead of acting on a turn someone else has finished.
    private async Task ThrowIfNotThisRunAsync(NpgsqlConnection connection, TurnRecord turn, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT owner_instance, lease_epoch, status FROM turns WHERE run_id = @run", connection);
        command.Parameters.AddWithValue("run", turn.RunId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return;
        }

        var (owner, epoch, status) = (reader.GetString(0), reader.GetInt64(1), reader.GetString(2));
        var active = status is TurnStatus.Running or TurnStatus.Waiting;
        if (active || owner != instance.Name || epoch != turn.LeaseEpoch)
        {
            throw new TurnLeaseLostException(turn.RunId, active ? owner : $"{owner} (which has ended the turn)");
        }
    }

    private async Task<TurnRecord?> OneAsync(string where, string key, CancellationToken cancellationToken)
    {
        await using var command = db.DataSource.CreateCommand($"SELECT {Columns} FROM turns WHERE {where}");
        command.Parameters.AddWithValue("key", key);
        var found = await ReadAsync(command, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<IReadOnlyList<TurnRecord>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var turns = new List<TurnRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            turns.Add(new TurnRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4))
            {
                UpdatedAt = reader.GetFieldValue<DateTimeOffset>(5),
                EndedAt = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                Reason = reader.IsDBNull(7) ? null : reader.GetString(7),
                ApprovalId = reader.IsDBNull(8) ? null : reader.GetString(8),
                State = reader.GetString(9),
                LeaseEpoch = reader.GetInt64(10),
            });
        }

        return turns;
    }

    private void Bind(NpgsqlCommand command, TurnRecord turn)
    {
        var p = command.Parameters;
        p.AddWithValue("conversation", NpgsqlDbType.Text, turn.ConversationId);
        p.AddWithValue("run", NpgsqlDbType.Text, turn.RunId);
        p.AddWithValue("principal", NpgsqlDbType.Text, turn.Principal);
        p.AddWithValue("status", NpgsqlDbType.Text, turn.Status);
        p.AddWithValue("started", NpgsqlDbType.TimestampTz, turn.StartedAt.ToUniversalTime());
        p.AddWithValue("updated", NpgsqlDbType.TimestampTz, turn.UpdatedAt.ToUniversalTime());
        p.AddWithValue("approval", NpgsqlDbType.Text, (object?)turn.ApprovalId ?? DBNull.Value);
        p.AddWithValue("state", NpgsqlDbType.Text, turn.State);
        p.AddWithValue("me", NpgsqlDbType.Text, instance.Name);
        p.AddWithValue("epoch", NpgsqlDbType.Bigint, turn.LeaseEpoch);
        p.AddWithValue("lease", db.Options.TurnLease);
    }
}
