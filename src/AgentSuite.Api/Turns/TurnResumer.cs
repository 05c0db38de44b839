using System.Diagnostics;
using AgentSuite.Agents;
using AgentSuite.Governance.Conversations;

namespace AgentSuite.Api.Turns;

/// <summary>
/// Resumes, when the Api starts, every turn its store says is unfinished (the process running it stopped: a crash, a
/// kill, a power loss, a deploy). Their event streams exist before the Api takes requests, so a person reconnecting sees
/// the trail at once; the turns themselves resume once the Api has started (their tools may need the MCP servers). A
/// turn stopped by shutdown is left unfinished, to be resumed by the next start; stopping waits for the running turns
/// to write their latest step first.
/// On a store shared by several instances (<see cref="ITurnStore.LeasesTurns"/>) it also keeps the leases of this
/// instance's turns and, every third of the lease, claims and resumes the turns of an instance that stopped renewing
/// its own; on a clean stop it releases its leases once its turns have stopped, so another instance resumes them at once.
/// </summary>
internal sealed class TurnResumer(ConversationService conversations, ITurnStore store, LiveTurns live, IHostApplicationLifetime lifetime, IConfiguration configuration, TimeProvider time, ILogger<TurnResumer> logger)
    : IHostedService, IDisposable
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private Task _leases = Task.CompletedTask;

    /// <summary>How long a turn stays leased without renewal (<c>Storage:Postgres:TurnLeaseSeconds</c>, default 15).</summary>
    internal TimeSpan Lease => TimeSpan.FromSeconds(Math.Max(1, configuration.GetValue("Storage:Postgres:TurnLeaseSeconds", 15)));

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var unfinished = await conversations.ClaimUnfinishedTurnsAsync(cancellationToken);
        var resumed = Resume(unfinished);
        var clock = Stopwatch.StartNew();
        lifetime.ApplicationStarted.Register(() =>
        {
            if (unfinished.Count > 0)
            {
                logger.LogWarning("Resuming {Count} unfinished turns left by a process that stopped", unfinished.Count);
            }

            _started.TrySetResult();
        });
        if (unfinished.Count > 0)
        {
            _ = Task.WhenAll(resumed).ContinueWith(
                _ => logger.LogInformation("The {Count} resumed turns have ended ({Seconds:F1} s after start)", unfinished.Count, clock.Elapsed.TotalSeconds),
                TaskScheduler.Default);
        }

        if (store.LeasesTurns)
        {
            _leases = KeepLeasesAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _leases;
        await live.DrainAsync(cancellationToken);
        if (store.LeasesTurns)
        {
            try
            {
                await store.ReleaseLeasesAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The leases then expire on their own: another instance resumes the turns a lease later.
                logger.LogWarning(ex, "Could not release this instance's turn leases; other instances resume its turns once they expire");
            }
        }
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>Every third of the lease: renews this instance's leases, then claims and resumes turns whose lease expired.</summary>
    private async Task KeepLeasesAsync(CancellationToken stopping)
    {
        var period = Lease / 3;
        try
        {
            await _started.Task.WaitAsync(stopping);
            using var timer = new PeriodicTimer(period, time);
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await store.RenewLeasesAsync(stopping);
                    // A turn still running here whose lease ran out (this instance stalled) is claimed back, not started twice.
                    var claimed = (await conversations.ClaimUnfinishedTurnsAsync(stopping))
                        .Where(t => live.Find(t.ConversationId)?.RunId != t.RunId).ToList();
                    if (claimed.Count > 0)
                    {
                        logger.LogWarning("Resuming {Count} unfinished turns whose instance stopped renewing their leases", claimed.Count);
                        Resume(claimed);
                    }
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    // The store may be out of reach for a moment: the next tick tries again, well within the lease.
                    logger.LogError(ex, "Renewing or claiming turn leases failed; trying again in {Seconds:F0} s", period.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the running turns drain, then the leases are released.
        }
    }

    /// <summary>Tracks an event stream for each turn and resumes it once the Api has started.</summary>
    private List<Task> Resume(IReadOnlyList<TurnRecord> unfinished)
    {
        var running = new List<Task>();
        foreach (var turn in unfinished)
        {
            var (events, last) = ConversationService.EventsOf(turn);
            // The resumed turn's numbers continue past any a reader may have seen after its last checkpoint.
            var stream = new TurnEventStream(turn.RunId, events, last + Agents.Turns.TurnCheckpoint.ResumeSeqGap);
            var task = ResumeAsync(turn, stream);
            stream.EndWith(task);
            live.Track(turn.ConversationId, stream, task);
            running.Add(task);
        }

        return running;
    }

    private async Task ResumeAsync(TurnRecord turn, TurnEventStream stream)
    {
        try
        {
            await _started.Task.WaitAsync(lifetime.ApplicationStopping);
            await conversations.ResumeAsync(turn, stream, lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopped again before it finished: still unfinished, resumed by the next start.
        }
        catch (TurnLeaseLostException)
        {
            // Another instance took it over; ConversationService logged where it went.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Resumed turn {RunId} of conversation {ConversationId} failed", turn.RunId, turn.ConversationId);
        }
    }
}
