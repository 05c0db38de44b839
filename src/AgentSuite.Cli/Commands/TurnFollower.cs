using System.Text.Json;
using AgentSuite.Cli.Api;
using Spectre.Console;

namespace AgentSuite.Cli.Commands;

/// <summary>
/// Follows a conversation's latest turn until it ends, printing each event. When the stream drops (the Api restarted,
/// the network blinked) it re-attaches from the last event seen, waiting a little longer each time, so a turn that
/// outlives its Api is watched to its end. Only Ctrl+C or a refusal (the conversation is gone, or not yours) stops it.
/// </summary>
internal sealed class TurnFollower(CliIo io, ApiClient api, TurnOutput output)
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    public async Task<TurnEnd> FollowAsync(string conversationId, long afterSeq, CancellationToken cancellationToken)
    {
        var last = afterSeq;
        var delay = FirstDelay;
        while (true)
        {
            string why;
            try
            {
                await foreach (var e in api.FollowTurnAsync(conversationId, last, cancellationToken))
                {
                    delay = FirstDelay;
                    last = Math.Max(last, e.Seq);
                    output.Event(e);
                    if (TurnEventTypes.IsTerminal(e.Type))
                    {
                        return e.Type == TurnEventTypes.TurnCompleted ? TurnEnd.Completed : TurnEnd.Failed;
                    }
                }

                // The stream closed before the turn's end: the Api is stopping, or the turn ended where the stream could not see it.
                var conversation = await api.GetConversationAsync(conversationId, cancellationToken);
                if (conversation.Turn is not { IsActive: true })
                {
                    return EndedUnseen(conversation);
                }

                why = "the Api closed the stream";
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Retryable(ex))
            {
                why = ex is ApiUnreachableException unreachable ? unreachable.Reason : ex.Message;
            }

            io.Error.MarkupLine($"[yellow]Lost the turn's events ({Markup.Escape(why)}); re-attaching in {delay.TotalSeconds:0.#} s. The turn goes on in the Api.[/]");
            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
        }
    }

    /// <summary>An event the stream did not carry, made from the conversation: its fields only, no <c>seq</c>.</summary>
    private static TurnEvent Made(TurnEvent e) =>
        e with { Json = JsonSerializer.SerializeToElement(new { type = e.Type, agent = e.Agent, text = e.Text, reason = e.Reason }, ApiJson.Options) };

    /// <summary>Nothing answered, the body broke off, or the Api had a passing fault; a refusal (4xx) is final.</summary>
    private static bool Retryable(Exception ex) => ex switch
    {
        ApiUnreachableException or IOException or HttpRequestException => true,
        ApiProblemException problem => problem.Status is >= 500 or 408 or 429,
        _ => false,
    };

    /// <summary>The turn ended without its last event in the stream (abandoned after a restart): its end as the conversation records it.</summary>
    private TurnEnd EndedUnseen(Conversation conversation)
    {
        var turn = conversation.Turn;
        var answer = conversation.Messages is { Count: > 0 } messages ? messages[^1] : null;
        if (turn?.Status == "completed" && answer?.Role == "assistant")
        {
            output.Event(Made(new TurnEvent { Type = TurnEventTypes.TurnCompleted, Agent = answer.Agent, Text = answer.Text }));
            return TurnEnd.Completed;
        }

        if (turn?.Status == "failed" && answer?.Role == "assistant")
        {
            // A failed turn that still answered the customer (a model with no answer): the reply, then the reason, as live.
            output.Event(Made(new TurnEvent { Type = TurnEventTypes.TurnFailed, Agent = answer.Agent, Text = answer.Text, Reason = turn.Reason }));
            return TurnEnd.Failed;
        }

        var what = turn?.Status == "abandoned" ? "The turn was abandoned" : "The turn failed";
        var reason = string.IsNullOrEmpty(turn?.Reason) ? what : $"{what}: {turn.Reason}";
        if (output.Json)
        {
            output.Event(Made(new TurnEvent { Type = TurnEventTypes.TurnFailed, Reason = reason }));
            return TurnEnd.Failed;
        }

        io.Out.MarkupLine($"[red]{Markup.Escape(reason)}[/]");
        return TurnEnd.Failed;
    }
}
