using AgentSuite.Governance.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AgentSuite.Storage.Postgres;

/// <summary>
/// Listens on <see cref="PostgresChanges.Channel"/> over one dedicated connection (outside the pool, since it is held
/// for the life of the process) and publishes every change other instances announce to <see cref="StoreChanges"/>.
/// A lost connection is logged once and reopened with a growing pause; once it is back, a
/// <see cref="StoreChangeKind.Resync"/> tells every service to reload, since notifications sent meanwhile are lost.
/// </summary>
public sealed class PostgresChangeListener(
    PostgresGovernanceDatabase database,
    StoreChanges changes,
    TimeProvider time,
    ILogger<PostgresChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(5);

    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the listener's current connection is listening (again, after a reconnect).</summary>
    public Task Listening => Volatile.Read(ref _listening).Task;

    /// <summary>The server process of the listening connection (for <c>pg_terminate_backend</c> in tests); 0 when not connected.</summary>
    public int BackendProcessId { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = FirstPause;
        var lost = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(lost, stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever went wrong, the listener reconnects: a fault here would stop the host, and polling covers the gap.
                // Logged once per outage: when a listening connection is lost, or the first attempt fails; not per retry.
                var wasListening = _listening.Task.IsCompleted;
                if (wasListening)
                {
                    Volatile.Write(ref _listening, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                    pause = FirstPause;
                }
                else if (lost)
                {
                    pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
                }

                if (wasListening || !lost)
                {
                    logger.LogWarning(ex, "The PostgreSQL notification connection to {Target} is lost; reconnecting, and until then changes made by other instances arrive by polling", database.Target);
                    lost = true;
                }

                try
                {
                    await Task.Delay(pause, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    // Runs until stopped (cancelled) or until the connection is lost (throws).
    private async Task ListenAsync(bool reconnecting, CancellationToken stoppingToken)
    {
        var settings = new NpgsqlConnectionStringBuilder(database.Options.ConnectionString)
        {
            Pooling = false,
            ApplicationName = "agentsuite-listener",

            // A keepalive every few seconds, so a connection that died without a word (a network cut) is noticed.
            KeepAlive = 10,
        };
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        connection.Notification += OnNotification;
        await connection.OpenAsync(stoppingToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgresChanges.Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        BackendProcessId = connection.ProcessID;
        if (reconnecting)
        {
            logger.LogInformation("The PostgreSQL notification connection to {Target} is back; every instance's changes are reloaded", database.Target);
        }

        // Whatever was announced before LISTEN took effect (at start, or while disconnected) is reloaded.
        changes.Publish(new StoreChange(StoreChangeKind.Resync, ""));
        _listening.TrySetResult();
        try
        {
            while (true)
            {
                await connection.WaitAsync(stoppingToken);
            }
        }
        finally
        {
            BackendProcessId = 0;
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (PostgresChanges.TryParse(e.Payload, out var change))
        {
            changes.Publish(change);
        }
        else
        {
            logger.LogWarning("Ignored a notification on {Channel} that is not a store change: {Payload}", PostgresChanges.Channel, e.Payload);
        }
    }
}
