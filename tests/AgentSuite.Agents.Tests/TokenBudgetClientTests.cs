using System.Runtime.CompilerServices;
using AgentSuite.Agents.Kernels;
using AgentSuite.Governance;
using AgentSuite.Governance.Budgets;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Agents.Tests;

/// <summary>The model pipeline's budget stage counting what a model reported into a real SQLite file, however the call ends.</summary>
public sealed class TokenBudgetClientTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "agentsuite-tests", Guid.NewGuid().ToString("N"));
    private readonly ServiceProvider _services;

    public TokenBudgetClientTests()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddGovernance(o => o.Limits.DailyTokens = 1_000_000);
        services.AddSqliteGovernanceStores($"Data Source={DatabasePath}");
        _services = services.BuildServiceProvider();
    }

    private string DatabasePath => Path.Combine(_folder, "governance.db");

    private static Principal Alice { get; } = new("alice", Roles.User);

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task AStreamThatThrowsAfterItsUsageArrivedStillCountsThoseTokens()
    {
        var client = new TokenBudgetClient(new UsageThenFailure(), _services.GetRequiredService<TokenBudgetService>());

        using (AgentRunContext.Enter(new AgentRunContext("conv-1", "run-1", "billing", Alice)))
        {
            await Assert.ThrowsAsync<IOException>(async () =>
            {
                await foreach (var _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "refund")]))
                {
                }
            });
        }

        Assert.Equal([("name:ALICE", "alice", 7L, 3L)], await RowsAsync());
    }

    [Fact]
    public async Task AStreamItsReaderStopsEarlyStillCountsTheTokensReported()
    {
        var client = new TokenBudgetClient(new UsageThenFailure(), _services.GetRequiredService<TokenBudgetService>());

        using (AgentRunContext.Enter(new AgentRunContext("conv-1", "run-1", "billing", Alice)))
        {
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "refund")]))
            {
                if (update.Contents.OfType<UsageContent>().Any())
                {
                    break;
                }
            }
        }

        Assert.Equal([("name:ALICE", "alice", 7L, 3L)], await RowsAsync());
    }

    [Fact]
    public async Task AModelCallThatSucceededIsAnsweredEvenWhenItsTokensCannotBeCounted()
    {
        var budgets = _services.GetRequiredService<TokenBudgetService>();
        var client = new TokenBudgetClient(new UsageThenFailure(), budgets);

        // The store's file exists (resolving the service opened it); a trigger makes every count fail while reads still work.
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "CREATE TRIGGER refuse_counts BEFORE INSERT ON token_usage BEGIN SELECT RAISE(ABORT, 'the disk is full'); END;";
            await drop.ExecuteNonQueryAsync();
        }

        ChatResponse response;
        using (AgentRunContext.Enter(new AgentRunContext("conv-1", "run-1", "billing", Alice)))
        {
            response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "refund")]);
        }

        Assert.Equal("refunded", response.Text);
        Assert.Empty(await RowsAsync());
    }

    private async Task<List<(string Key, string? Display, long Input, long Output)>> RowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT principal, display, input_tokens, output_tokens FROM token_usage ORDER BY principal";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string?, long, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3)));
        }

        return rows;
    }

    /// <summary>A model whose stream reports its usage and then breaks (a dropped connection); a whole response reports usage too.</summary>
    private sealed class UsageThenFailure : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "refunded")) { Usage = new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3 } });

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, "refun");
            yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 7, OutputTokenCount = 3 })]);
            await Task.Yield();
            throw new IOException("The model's connection closed mid-stream.");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
