using AgentSuite.Governance.Budgets;

namespace AgentSuite.Storage.Postgres;

/// <summary>Tokens per principal (its stable key) per UTC day in PostgreSQL: one row each, added to by one atomic upsert, so no instance's increment is lost.</summary>
public sealed class PostgresTokenUsageStore(PostgresGovernanceDatabase db) : ITokenUsageStore
{
    internal const string Schema = """
        -- Model tokens each principal spent per UTC day (daily token budgets), under its stable key (a token's subject,
        -- else its name); display is the name it last spent under, for the status view.
        CREATE TABLE IF NOT EXISTS token_usage (
            principal       TEXT COLLATE "C" NOT NULL,
            day             DATE NOT NULL,
            input_tokens    BIGINT NOT NULL,
            output_tokens   BIGINT NOT NULL,
            display         TEXT,
            PRIMARY KEY (day, principal)
        );
        """;

    public Task<TokenUsage> AddAsync(string principal, DateOnly day, long inputTokens, long outputTokens, CancellationToken cancellationToken = default) =>
        AddAsync(principal, principal, day, inputTokens, outputTokens, cancellationToken);

    public async Task<TokenUsage> AddAsync(string principal, string display, DateOnly day, long inputTokens, long outputTokens, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("""
            INSERT INTO token_usage (principal, day, input_tokens, output_tokens, display) VALUES (@principal, @day, @input, @output, @display)
            ON CONFLICT (day, principal) DO UPDATE SET
                input_tokens = token_usage.input_tokens + excluded.input_tokens,
                output_tokens = token_usage.output_tokens + excluded.output_tokens,
                display = excluded.display
            RETURNING input_tokens, output_tokens
            """);
        command.Parameters.AddWithValue("principal", principal);
        command.Parameters.AddWithValue("day", day);
        command.Parameters.AddWithValue("display", display);
        command.Parameters.AddWithValue("input", inputTokens);
        command.Parameters.AddWithValue("output", outputTokens);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new TokenUsage(principal, day, reader.GetInt64(0), reader.GetInt64(1)) { Display = display };
    }

    public async Task<TokenUsage> GetAsync(string principal, DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("SELECT input_tokens, output_tokens FROM token_usage WHERE day = @day AND principal = @principal");
        command.Parameters.AddWithValue("principal", principal);
        command.Parameters.AddWithValue("day", day);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TokenUsage(principal, day, reader.GetInt64(0), reader.GetInt64(1))
            : new TokenUsage(principal, day, 0, 0);
    }

    public async Task<IReadOnlyList<TokenUsage>> ListAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var command = db.DataSource.CreateCommand("SELECT principal, input_tokens, output_tokens, display FROM token_usage WHERE day = @day ORDER BY principal");
        command.Parameters.AddWithValue("day", day);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var usage = new List<TokenUsage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            usage.Add(new TokenUsage(reader.GetString(0), day, reader.GetInt64(1), reader.GetInt64(2)) { Display = reader.IsDBNull(3) ? null : reader.GetString(3) });
        }

        return usage;
    }
}
