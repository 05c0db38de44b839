using System.Collections.Concurrent;
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
/// On a store shared by several instances (<see cref="ITurnStore.LeasesTurns"/>) it also, from the start and every third
/// of the store's lease, renews the leases of the turns this instance runs, and claims and resumes the turns whose lease
/// expired (an instance stopped renewing, or a turn's run ended here without ending in the store). On a clean stop it
/// stops claiming, keeps renewing while its turns stop, releases the leases of the turns that stopped (so another
/// instance resumes them at once) and stops renewing last, so a turn still running is never claimed elsewhere.
/// </summary>
internal sealed class TurnResumer(ConversationService conversations, ITurnStore store, LiveTurns live, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<TurnResumer> logger)
    : IHostedService, IDisposable
{
    /// <summary>How long a clean stop gives the release of its leases: the leases expire on their own anyway.</summary>
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _claiming = new();
    private readonly CancellationTokenSource _renewing = new();
    private readonly ConcurrentDictionary<string, int> _resuming = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _notResumed = new(StringComparer.Ordinal);
    private Task _leases = Task.CompletedTask;

    /// <summary>How often leases are renewed and expired ones claimed: a third of the store's lease.</summary>
    internal TimeSpan Period => (store.LeaseDuration ?? TimeSpan.FromSeconds(15)) / 3;

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

        // From here, not from ApplicationStarted: the turns just claimed are leased, and other hosted services may take long to start.
        if (store.LeasesTurns)
        {
            _leases = KeepLeasesAsync(_renewing.Token, _claiming.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _claiming.CancelAsync();
        await live.DrainAsync(cancellationToken);
        if (store.LeasesTurns)
        {
            // Only the turns that stopped: one still running keeps its renewed lease until this process ends.
            var stillRunning = Held();
            var stopped = conversations.StoppedTurnIds.Union(_notResumed.Keys, StringComparer.Ordinal).Except(stillRunning, StringComparer.Ordinal).ToList();
            if (stillRunning.Count > 0)
            {
                logger.LogWarning("{Count} turns did not stop before the shutdown timeout; their leases expire a lease after this process ends", stillRunning.Count);
            }

            try
            {
                using var timeout = new CancellationTokenSource(ReleaseTimeout);
                await store.ReleaseLeasesAsync(stopped, timeout.Token);
            }
            catch (Exception ex)
            {
                // The leases then expire on their own: another instance resumes the turns a lease later.
                logger.LogWarning(ex, "Could not release this instance's turn leases; other instances resume its turns once they expire");
            }
        }

        await _renewing.CancelAsync();
        await _leases;
    }

    public void Dispose()
    {
        _claiming.Dispose();
        _renewing.Dispose();
    }

    /// <summary>Every third of the lease: renews the leases of the turns running here, then claims and resumes turns whose lease expired.</summary>
    private async Task KeepLeasesAsync(CancellationToken renewing, CancellationToken claiming)
    {
        var period = Period;
        try
        {
            using var timer = new PeriodicTimer(period, time);
            while (await timer.WaitForNextTickAsync(renewing))
            {
                try
                {
                    await store.RenewLeasesAsync(Held(), renewing);
                    if (!claiming.IsCancellationRequested)
                    {
                        ClaimExpired(await conversations.ClaimUnfinishedTurnsAsync(claiming));
                    }
                }
                catch (OperationCanceledException) when (claiming.IsCancellationRequested && !renewing.IsCancellationRequested)
                {
                    // Stopping: no more claims, the renewals go on while the running turns stop.
                }
                catch (Exception ex) when (!renewing.IsCancellationRequested)
                {
                    // The store may be out of reach for a moment: the next tick tries again, well within the lease.
                    logger.LogError(ex, "Renewing or claiming turn leases failed; trying again in {Seconds:F0} s", period.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (renewing.IsCancellationRequested)
        {
            // Stopped: the running turns have drained and the leases of those that stopped are released.
        }
    }

    /// <summary>The turns this instance holds: those it runs, and those it claimed that have not started running yet.</summary>
    private IReadOnlyCollection<string> Held() => [.. conversations.RunningTurnIds.Union(_resuming.Keys, StringComparer.Ordinal)];

    private void ClaimExpired(IReadOnlyList<TurnRecord> claimed)
    {
        if (claimed.Count == 0)
        {
            return;
        }

        // A turn still running here under an older claim (this instance stalled, another took the turn, then this one
        // claimed it back) stops: that run's writes are refused now, and the claim is resumed fresh from its checkpoint.
        var superseded = claimed.Sum(conversations.StopOlderRuns);
        logger.LogWarning("Resuming {Count} unfinished turns whose lease expired ({Superseded} of them stopped here first: their run here had lost its lease)", claimed.Count, superseded);
        Resume(claimed);
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
            _resuming.AddOrUpdate(turn.RunId, 1, (_, n) => n + 1);
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
            _notResumed[turn.RunId] = 0;
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
        finally
        {
            Forget(turn.RunId);
        }
    }

    private void Forget(string runId)
    {
        // Two resumes of one run id may overlap here (a turn claimed back while its earlier run stops).
        while (_resuming.TryGetValue(runId, out var count)
            && !(count <= 1 ? _resuming.TryRemove(new KeyValuePair<string, int>(runId, count)) : _resuming.TryUpdate(runId, count - 1, count)))
        {
        }
    }
}
