using System.Threading.Channels;
using AgentSuite.Governance.Cluster;
using AgentSuite.Storage.Postgres;
using AgentSuite.Storage.Tests.Support;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentSuite.Storage.Tests.Cluster;

/// <summary>
/// The listener on a real PostgreSQL: what another connection announces with pg_notify arrives on
/// <see cref="StoreChanges"/>, and a lost connection is reopened, logged once, and followed by a resync.
/// </summary>
public sealed class PostgresChangeListenerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly LogRecorder<PostgresChangeListener> _log = new();
    private readonly Channel<StoreChange> _received = Channel.CreateUnbounded<StoreChange>();
    private StoreBackend _backend = null!;
    private PostgresChangeListener _listener = null!;
    private IDisposable? _subscription;

    public async Task InitializeAsync()
    {
        _backend = await StoreBackend.PostgresAsync();
        var changes = _backend.Get<StoreChanges>();
        _listener = new PostgresChangeListener(_backend.Get<PostgresGovernanceDatabase>(), changes, TimeProvider.System, _log);
        await _listener.StartAsync(CancellationToken.None);
        await _listener.Listening.WaitAsync(Patience);
        _subscription = changes.Subscribe(c => _received.Writer.TryWrite(c));
    }

    public async Task DisposeAsync()
    {
        _subscription?.Dispose();
        await _listener.StopAsync(CancellationToken.None);
        _listener.Dispose();
        await _backend.DisposeAsync();
    }

    [Fact]
    public async Task AChangeAnnouncedOnAnotherConnectionIsPublishedAndAPayloadOfNoKnownKindIsIgnored()
    {
        await NotifyAsync("not a change");
        await NotifyAsync("approval:apr_42");
        await NotifyAsync("kill_switch:tool:billing/issue_refund");

        Assert.Equal(new StoreChange(StoreChangeKind.ApprovalResolved, "apr_42"), await NextAsync());
        Assert.Equal(new StoreChange(StoreChangeKind.KillSwitchChanged, "tool:billing/issue_refund"), await NextAsync());
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("not a change", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AfterItsBackendIsTerminatedTheListenerReconnectsPublishesAResyncAndDeliversLaterChanges()
    {
        var before = _listener.BackendProcessId;
        await TerminateAsync(before);

        Assert.Equal(new StoreChange(StoreChangeKind.Resync, ""), await NextAsync());
        await _listener.Listening.WaitAsync(Patience);
        Assert.NotEqual(before, _listener.BackendProcessId);
        await NotifyAsync("tool_pin:billing/issue_refund");
        Assert.Equal(new StoreChange(StoreChangeKind.ToolPinChanged, "billing/issue_refund"), await NextAsync());
        Assert.Equal(1, _log.Count(LogLevel.Warning));
    }

    [Fact]
    public async Task AnOutageIsLoggedOnceHoweverManyReconnectsFail()
    {
        var database = new NpgsqlConnectionStringBuilder(_backend.ConnectionString).Database!;
        await ExecuteAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS false");
        try
        {
            await TerminateAsync(_listener.BackendProcessId);

            // Long enough for several attempts (the pause starts at 100 ms and doubles), each refused by the database.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }
        finally
        {
            await ExecuteAsync($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS true");
        }

        Assert.Equal(new StoreChange(StoreChangeKind.Resync, ""), await NextAsync());
        Assert.Equal(1, _log.Count(LogLevel.Warning));
        Assert.Contains(_log.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("is back", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoppingTheListenerClosesItsConnection()
    {
        var pid = _listener.BackendProcessId;

        await _listener.StopAsync(CancellationToken.None);

        Assert.True(_listener.ExecuteTask!.IsCompleted);
        Assert.Equal(0, _listener.BackendProcessId);
        await using var connection = new NpgsqlConnection(_backend.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE pid = @pid", connection);
        command.Parameters.AddWithValue("pid", pid);
        for (var i = 0; i < 100 && (long)(await command.ExecuteScalarAsync())! > 0; i++)
        {
            // The server notices the closed socket a moment after the client closed it.
            await Task.Delay(50);
        }

        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    private async Task<StoreChange> NextAsync() => await _received.Reader.ReadAsync().AsTask().WaitAsync(Patience);

    // Notifications stay within their database: this one is sent on the store's database, as a store would.
    private Task NotifyAsync(string payload) => ExecuteAsync(_backend.ConnectionString, "SELECT pg_notify('governance_changes', @payload)", ("payload", payload));

    private Task TerminateAsync(int pid) => ExecuteAsync("SELECT pg_terminate_backend(@pid)", ("pid", pid));

    private Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters) =>
        ExecuteAsync(new NpgsqlConnectionStringBuilder(_backend.ConnectionString) { Database = "postgres" }.ConnectionString, sql, parameters);

    private static async Task ExecuteAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
