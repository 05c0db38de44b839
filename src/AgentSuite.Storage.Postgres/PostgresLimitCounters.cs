using System.Runtime.CompilerServices;
using AgentSuite.Governance;
using AgentSuite.Governance.Limits;
using Npgsql;
using NpgsqlTypes;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// The rate windows and loop counters in the shared database, so a limit holds across instances: a loop spread over two
/// instances is still a loop. One call is one statement (<c>governance_count_limits</c>), whatever windows it counts in,
/// on the database's clock; each count is an <c>INSERT … ON CONFLICT DO UPDATE</c> on its row, so concurrent calls on any
/// instance are counted one after another. Ended windows and the counters of ended runs are pruned by the idle sweep.
/// Counts run on the stores' one pool, so they add no connections of their own.
/// </summary>
public sealed class PostgresLimitCounters : ILimitCounters
{
    internal const string Schema = """
        CREATE TABLE IF NOT EXISTS limit_windows (
            key        TEXT        NOT NULL,
            lim        INTEGER     NOT NULL,
            started_at TIMESTAMPTZ NOT NULL,
            used_at    TIMESTAMPTZ NOT NULL,
            calls      BIGINT      NOT NULL,
            PRIMARY KEY (key, lim)
        );
        CREATE INDEX IF NOT EXISTS ix_limit_windows_used ON limit_windows (used_at);
        CREATE TABLE IF NOT EXISTS limit_loops (
            run_id         TEXT        NOT NULL,
            tool           TEXT        NOT NULL,
            arguments_hash TEXT        NOT NULL,
            call_ids       TEXT[]      NOT NULL,
            used_at        TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (run_id, tool, arguments_hash)
        );
        CREATE INDEX IF NOT EXISTS ix_limit_loops_used ON limit_loops (used_at);

        -- refused: -1 admitted, -2 stopped as a loop, else the index of the window that refused (a window counts attempts,
        -- so calls > lim is a refusal; the windows after it are not counted).
        CREATE OR REPLACE FUNCTION governance_count_limits(
            p_run TEXT, p_tool TEXT, p_hash TEXT, p_call TEXT, p_loop_limit INTEGER,
            p_keys TEXT[], p_limits INTEGER[], p_window INTERVAL,
            OUT refused INTEGER, OUT loop_calls INTEGER, OUT retry_after DOUBLE PRECISION)
        LANGUAGE plpgsql AS $$
        DECLARE
            v_calls BIGINT;
            v_started TIMESTAMPTZ;
        BEGIN
            -- This call's transaction commits without waiting for the WAL flush: a database crash may forget its last
            -- moments of counts (a window admits a few calls more once), which a rate count need not survive; visibility
            -- and row locks, and so the limits between instances, are unchanged.
            PERFORM set_config('synchronous_commit', 'off', true);
            refused := -1;
            loop_calls := 0;
            retry_after := 0;
            IF p_loop_limit > 0 THEN
                INSERT INTO limit_loops AS l (run_id, tool, arguments_hash, call_ids, used_at)
                VALUES (p_run, p_tool, p_hash, ARRAY[p_call], now())
                ON CONFLICT (run_id, tool, arguments_hash) DO UPDATE
                SET call_ids = CASE WHEN p_call = ANY (l.call_ids) THEN l.call_ids ELSE l.call_ids || p_call END,
                    used_at = now()
                RETURNING cardinality(l.call_ids) INTO loop_calls;
                IF loop_calls > p_loop_limit THEN
                    refused := -2;
                    RETURN;
                END IF;
            END IF;
            FOR i IN 1 .. coalesce(cardinality(p_keys), 0) LOOP
                INSERT INTO limit_windows AS w (key, lim, started_at, used_at, calls)
                VALUES (p_keys[i], p_limits[i], now(), now(), 1)
                ON CONFLICT (key, lim) DO UPDATE
                SET started_at = CASE WHEN w.started_at + p_window <= now() THEN now() ELSE w.started_at END,
                    calls = CASE WHEN w.started_at + p_window <= now() THEN 1 ELSE w.calls + 1 END,
                    used_at = now()
                RETURNING w.calls, w.started_at INTO v_calls, v_started;
                IF v_calls > p_limits[i] THEN
                    refused := i - 1;
                    retry_after := extract(epoch FROM v_started + p_window - now());
                    RETURN;
                END IF;
            END LOOP;
        END;
        $$;
        """;

    private const string CountSql = "SELECT refused, loop_calls, retry_after FROM governance_count_limits(@run, @tool, @hash, @call, @loop, @keys, @limits, @window)";

    // The loop rows of a run still going here are kept however idle (as its counters in memory live with its contexts).
    private const string ReleaseSql = """
        WITH touched AS (UPDATE limit_loops SET used_at = now() WHERE run_id = ANY (@alive) RETURNING 1),
             loops AS (DELETE FROM limit_loops WHERE used_at < now() - @idle AND NOT (run_id = ANY (@alive)) RETURNING 1),
             windows AS (DELETE FROM limit_windows WHERE started_at + @window <= now() AND used_at < now() - @idle RETURNING 1)
        SELECT (SELECT count(*) FROM loops) + (SELECT count(*) FROM windows)
        """;

    // The runs counted through this instance whose contexts are alive: their loop rows are refreshed at each sweep.
    private readonly ConditionalWeakTable<AgentRunContext, string> _runs = new();
    private readonly NpgsqlDataSource _counts;

    public PostgresLimitCounters(PostgresGovernanceDatabase db)
    {
        ArgumentNullException.ThrowIfNull(db);
        _counts = db.DataSource;
    }

    public async ValueTask<LimitVerdict> CountAsync(LimitCheck check, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(check);
        var loop = check.Loop;
        var run = check.Run;
        if (loop is not null)
        {
            ArgumentNullException.ThrowIfNull(run, nameof(check.Run));
            _runs.AddOrUpdate(run, run.RunId);
        }

        var keys = new string[check.Windows.Count];
        var limits = new int[check.Windows.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            (keys[i], limits[i]) = (check.Windows[i].Key, check.Windows[i].Limit);
        }

        await using var command = _counts.CreateCommand(CountSql);
        command.Parameters.Add(new NpgsqlParameter<string>("run", run?.RunId ?? ""));
        command.Parameters.Add(new NpgsqlParameter<string>("tool", loop?.Tool ?? ""));
        command.Parameters.Add(new NpgsqlParameter<string>("hash", loop?.ArgumentsHash ?? ""));
        command.Parameters.Add(new NpgsqlParameter<string>("call", loop?.ToolCallId ?? ""));
        command.Parameters.Add(new NpgsqlParameter<int>("loop", loop?.Limit ?? 0));
        command.Parameters.Add(new NpgsqlParameter<string[]>("keys", keys) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int[]>("limits", limits) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("window", LimitWindow.Length));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var refused = reader.GetInt32(0);
        var loopCalls = reader.GetInt32(1);
        return refused switch
        {
            -1 => LimitVerdict.Admit(loopCalls),
            -2 => LimitVerdict.Loop(loopCalls),
            _ => LimitVerdict.Window(refused, TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(2))), loopCalls),
        };
    }

    public int ReleaseIdle(TimeSpan idleFor)
    {
        var alive = _runs.Select(r => r.Value).Distinct(StringComparer.Ordinal).ToArray();
        using var command = _counts.CreateCommand(ReleaseSql);
        command.Parameters.Add(new NpgsqlParameter<string[]>("alive", alive) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("idle", idleFor));
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("window", LimitWindow.Length));
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
