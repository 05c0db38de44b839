using System.Globalization;
using AgentSuite.Governance.Budgets;
using Microsoft.Data.Sqlite;

namespace AgentSuite.Storage.Sqlite;

/// <summary>Tokens per principal (its stable key) per UTC day in SQLite: one row each, added to in place, so instances on one file share the count.</summary>
public sealed class SqliteTokenUsageStore(SqliteGovernanceDatabase db) : ITokenUsageStore
{
    public Task<TokenUsage> AddAsync(string principal, DateOnly day, long inputTokens, long outputTokens, CancellationToken cancellationToken = default) =>
        AddAsync(principal, principal, day, inputTokens, outputTokens, cancellationToken);

    public async Task<TokenUsage> AddAsync(string principal, string display, DateOnly day, long inputTokens, long outputTokens, CancellationToken cancellationToken = default)
    {
        using var writeTurn = await db.EnterWriteAsync(cancellationToken);
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO token_usage (principal, day, input_tokens, output_tokens, display) VALUES ($principal, $day, $input, $output, $display)
            ON CONFLICT(day, principal) DO UPDATE SET
                input_tokens = input_tokens + excluded.input_tokens,
                output_tokens = output_tokens + excluded.output_tokens,
                display = excluded.display
            RETURNING input_tokens, output_tokens
            """;
        command.Parameters.AddWithValue("$principal", principal);
        command.Parameters.AddWithValue("$day", Day(day));
        command.Parameters.AddWithValue("$display", display);
        command.Parameters.AddWithValue("$input", inputTokens);
        command.Parameters.AddWithValue("$output", outputTokens);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new TokenUsage(principal, day, reader.GetInt64(0), reader.GetInt64(1)) { Display = display };
    }

    public async Task<TokenUsage> GetAsync(string principal, DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT input_tokens, output_tokens FROM token_usage WHERE day = $day AND principal = $principal";
        command.Parameters.AddWithValue("$principal", principal);
        command.Parameters.AddWithValue("$day", Day(day));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new TokenUsage(principal, day, reader.GetInt64(0), reader.GetInt64(1))
            : new TokenUsage(principal, day, 0, 0);
    }

    public async Task<IReadOnlyList<TokenUsage>> ListAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        await using var connection = db.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT principal, input_tokens, output_tokens, display FROM token_usage WHERE day = $day ORDER BY principal";
        command.Parameters.AddWithValue("$day", Day(day));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var usage = new List<TokenUsage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            usage.Add(new TokenUsage(reader.GetString(0), day, reader.GetInt64(1), reader.GetInt64(2)) { Display = reader.IsDBNull(3) ? null : reader.GetString(3) });
        }

        return usage;
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
