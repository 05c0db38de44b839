using System.Threading.Channels;
using AgentSuite.Governance.Cluster;
using AgentSuite.Storage.Postgres;
using Npgsql;

namespace AgentSuite.Storage.Tests.Support;

/// <summary>
/// A raw connection listening on the stores' notification channel, as another instance would: the notifications
/// PostgreSQL delivers, in commit order, parsed into store changes.
/// </summary>
public sealed class ChangeListener : IAsyncDisposable
{
    // A bound for a notification that never comes, so such a test fails instead of hanging; never a measure of speed.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly NpgsqlConnection _connection;
    private readonly Channel<string> _payloads = Channel.CreateUnbounded<string>();

    private ChangeListener(NpgsqlConnection connection)
    {
        _connection = connection;
        _connection.Notification += (_, e) => _payloads.Writer.TryWrite(e.Payload);
    }

    public static async Task<ChangeListener> StartAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresChanges.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync();
        }

        return new ChangeListener(connection);
    }

    /// <summary>The next change delivered; fails the test when none arrives.</summary>
    public async Task<StoreChange> NextAsync()
    {
        using var patience = new CancellationTokenSource(Patience);
        string? payload;
        while (!_payloads.Reader.TryRead(out payload))
        {
            try
            {
                await _connection.WaitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No notification on '{PostgresChanges.Channel}' within {Patience.TotalSeconds:0} s.");
            }
        }

        return Parse(payload);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static StoreChange Parse(string payload)
    {
        Assert.True(PostgresChanges.TryParse(payload, out var change), $"'{payload}' is not a store change.");
        return change;
    }
}
