using AgentSuite.Governance.Audit;
using Npgsql;
using NpgsqlTypes;

namespace AgentSuite.Storage.Postgres;

/// <summary>A batch of linked audit entries as one array per column, for a single <c>INSERT … SELECT FROM unnest(…)</c>.</summary>
internal sealed class AuditRows
{
    /// <summary>The parameter types, in column order: seq, at, at_tick, then twelve text columns.</summary>
    public static readonly NpgsqlDbType[] Types =
    [
        NpgsqlDbType.Array | NpgsqlDbType.Bigint,
        NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        NpgsqlDbType.Array | NpgsqlDbType.Smallint,
        .. Enumerable.Repeat(NpgsqlDbType.Array | NpgsqlDbType.Text, 12),
    ];

    private readonly long[] _seq;
    private readonly DateTime[] _at;
    private readonly short[] _tick;
    private readonly string?[][] _text;

    public AuditRows(int count)
    {
        _seq = new long[count];
        _at = new DateTime[count];
        _tick = new short[count];
        _text = new string?[12][];
        for (var c = 0; c < _text.Length; c++)
        {
            _text[c] = new string?[count];
        }
    }

    public void Set(int i, AuditRecord record, string? canonicalData)
    {
        var e = record.Entry;
        _seq[i] = record.Seq;
        (_at[i], _tick[i]) = PostgresAuditTime.Split(e.At);
        _text[0][i] = e.Kind;
        _text[1][i] = e.ConversationId;
        _text[2][i] = e.RunId;
        _text[3][i] = e.Agent;
        _text[4][i] = e.Principal;
        _text[5][i] = e.Tool;
        _text[6][i] = e.ToolCallId;
        _text[7][i] = e.Decision;
        _text[8][i] = e.Reason;
        _text[9][i] = canonicalData;
        _text[10][i] = record.PrevHash;
        _text[11][i] = record.Hash;
    }

    /// <summary>Sets the first fifteen parameters of the insert.</summary>
    public void Bind(NpgsqlParameterCollection parameters)
    {
        parameters[0].Value = _seq;
        parameters[1].Value = _at;
        parameters[2].Value = _tick;
        for (var c = 0; c < _text.Length; c++)
        {
            parameters[3 + c].Value = _text[c];
        }
    }
}
