using System.Diagnostics;
using AgentSuite.Agents;

namespace AgentSuite.Api.Turns;

/// <summary>
/// Resumes, when the Api starts, every turn its store says is unfinished (the process running it stopped: a crash, a
/// kill, a power loss, a deploy). Their event streams exist before the Api takes requests, so a person reconnecting sees
/// the trail at once; the turns themselves resume once the Api has started (their tools may need the MCP servers). A
/// turn stopped by shutdown is left unfinished, to be resumed by the next start; stopping waits for the running turns
/// to write their latest step first.
/// </summary>
internal sealed class TurnResumer(ConversationService conversations, LiveTurns live, IHostApplicationLifetime lifetime, ILogger<TurnResumer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var unfinished = await conversations.ListActiveTurnsAsync(cancellationToken);
        if (unfinished.Count == 0)
        {
            return;
        }

        var streams = unfinished.Select(turn =>
        {
            var (events, last) = ConversationService.EventsOf(turn);
            // The resumed turn's numbers continue past any a reader may have seen after its last checkpoint.
            return (Turn: turn, Stream: new TurnEventStream(turn.RunId, events, last + Agents.Turns.TurnCheckpoint.ResumeSeqGap));
        }).ToList();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new List<Task>();
        foreach (var (turn, stream) in streams)
        {
            var task = ResumeAsync(turn, stream, started.Task);
            stream.EndWith(task);
            live.Track(turn.ConversationId, stream, task);
            running.Add(task);
        }

        var clock = Stopwatch.StartNew();
        lifetime.ApplicationStarted.Register(() =>
        {
            logger.LogWarning("Resuming {Count} unfinished turns left by a process that stopped", streams.Count);
            started.TrySetResult();
        });
        _ = Task.WhenAll(running).ContinueWith(
            _ => logger.LogInformation("The {Count} resumed turns have ended ({Seconds:F1} s after start)", streams.Count, clock.Elapsed.TotalSeconds),
            TaskScheduler.Default);
    }

    public Task StopAsync(CancellationToken cancellationToken) => live.DrainAsync(cancellationToken);

    private async Task ResumeAsync(Governance.Conversations.TurnRecord turn, TurnEventStream stream, Task started)
    {
        try
        {
            await started.WaitAsync(lifetime.ApplicationStopping);
            await conversations.ResumeAsync(turn, stream, lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // Stopped again before it finished: still unfinished, resumed by the next start.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Resumed turn {RunId} of conversation {ConversationId} failed", turn.RunId, turn.ConversationId);
        }
    }
}
