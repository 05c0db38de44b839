using AgentSuite.Cli.Api;
using AgentSuite.Cli.Rendering;
using Spectre.Console;

namespace AgentSuite.Cli.Commands;

/// <summary>One <c>chat</c> invocation: a conversation, then one message (<c>--message</c>) or a prompt loop.</summary>
internal sealed class ChatSession(CliIo io, ApiClient api, TurnOutput output)
{
    private enum Outcome
    {
        Completed,
        Failed,
        Cut,
        Stopped,
    }

    public async Task<int> RunAsync(string? conversationId, string? message, CancellationToken cancellationToken)
    {
        if (message is not null && string.IsNullOrWhiteSpace(message))
        {
            throw new UsageException("--message is empty; give the text to send, or leave --message out to chat interactively.");
        }

        var id = conversationId ?? await api.CreateConversationAsync(cancellationToken);
        output.Conversation(id, created: conversationId is null);
        if (conversationId is not null && await ReattachAsync(id, cancellationToken) == Outcome.Stopped)
        {
            return ExitCodes.Cancelled;
        }

        return message is null
            ? await InteractiveAsync(id, cancellationToken)
            : await TurnAsync(id, message, cancellationToken) switch
            {
                Outcome.Completed => ExitCodes.Ok,
                Outcome.Stopped => ExitCodes.Cancelled,
                _ => ExitCodes.Failed,
            };
    }

    private async Task<int> InteractiveAsync(string id, CancellationToken cancellationToken)
    {
        output.Prose.MarkupLine("[grey]Type a message and press Enter. An empty line, /exit or Ctrl+C quits.[/]");
        try
        {
            while (await PromptAsync(cancellationToken) is { } text)
            {
                try
                {
                    if (await TurnAsync(id, text, cancellationToken) == Outcome.Stopped)
                    {
                        break;
                    }
                }
                catch (ApiProblemException ex)
                {
                    // One refused message (busy, too long) does not end the session.
                    ErrorView.Problem(io.Error, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.EndLine();
        }

        output.Prose.MarkupLine($"[grey]Continue this conversation later with:[/] agentsuite chat --conversation {Markup.Escape(id)}");
        return ExitCodes.Ok;
    }

    private async Task<string?> PromptAsync(CancellationToken cancellationToken)
    {
        if (!output.Json)
        {
            // With --json the lines come from a script: no prompt, which would not be JSON.
            io.Out.Markup("[bold]you>[/] ");
        }

        // Console reads do not observe cancellation; waiting on them this way lets Ctrl+C end the prompt at once.
        var line = await Task.Run(io.In.ReadLine, CancellationToken.None).WaitAsync(cancellationToken);
        var text = line?.Trim();
        return string.IsNullOrEmpty(text) || text is "/exit" or "/quit" ? null : text;
    }

    /// <summary>A continued conversation may have a turn under way (the last session was cut, the Api restarted): show it and follow it to its end first.</summary>
    private async Task<Outcome> ReattachAsync(string id, CancellationToken cancellationToken)
    {
        var turn = (await api.GetConversationAsync(id, cancellationToken)).Turn;
        if (turn is not { IsActive: true })
        {
            return Outcome.Completed;
        }

        if (turn.Status == "waiting")
        {
            Display.LineWithId(output.Prose, "[yellow]A turn is under way in this conversation (waiting for approval[/] ", turn.ApprovalId, "[yellow]); its events so far, then the rest as it happens.[/]");
        }
        else
        {
            output.Prose.MarkupLine("[yellow]A turn is under way in this conversation; its events so far, then the rest as it happens.[/]");
        }

        return await WatchAsync(id, () => new TurnFollower(io, api, output).FollowAsync(id, 0, cancellationToken), cancellationToken);
    }

    private async Task<Outcome> TurnAsync(string id, string text, CancellationToken cancellationToken)
    {
        long last = 0;
        try
        {
            await foreach (var e in api.SendMessageAsync(id, text, cancellationToken))
            {
                last = Math.Max(last, e.Seq);
                output.Event(e);
                if (TurnEventTypes.IsTerminal(e.Type))
                {
                    return e.Type == TurnEventTypes.TurnCompleted ? Outcome.Completed : Outcome.Failed;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Stopped(id);
        }
        catch (IOException)
        {
            // The stream broke off after the turn had started (the Api restarted, say): the turn goes on; re-attach below.
        }

        io.Error.MarkupLine("[yellow]The stream ended before the turn did; re-attaching to it.[/]");
        try
        {
            return await WatchAsync(id, () => new TurnFollower(io, api, output).FollowAsync(id, last, cancellationToken), cancellationToken);
        }
        catch (ApiProblemException ex)
        {
            ErrorView.Problem(io.Error, ex);
            ErrorView.Message(io.Error, $"The Api ended the stream before the turn ended; see what happened with: agentsuite audit show {id}");
            return Outcome.Cut;
        }
    }

    private async Task<Outcome> WatchAsync(string id, Func<Task<TurnEnd>> follow, CancellationToken cancellationToken)
    {
        try
        {
            return await follow() == TurnEnd.Completed ? Outcome.Completed : Outcome.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Stopped(id);
        }
    }

    private Outcome Stopped(string id)
    {
        output.EndLine();
        io.Error.MarkupLine($"[yellow]Stopped watching this turn; it goes on in the Api. Follow it again with:[/] agentsuite conversations follow {Markup.Escape(id)}");
        return Outcome.Stopped;
    }
}
