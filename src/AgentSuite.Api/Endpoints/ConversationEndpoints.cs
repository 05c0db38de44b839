using AgentSuite.Agents;
using AgentSuite.Api.Auth;
using AgentSuite.Api.Contract;
using AgentSuite.Api.Documentation;
using AgentSuite.Api.Turns;
using AgentSuite.Governance;
using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Budgets;
using AgentSuite.Governance.Conversations;
using AgentSuite.Models;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Endpoints;

/// <summary>
/// Conversations with the coordinator. A turn runs to its end even when the caller goes away (closing the browser
/// while a refund waits for approval loses nothing): it never sees the request's cancellation.
/// </summary>
internal static class ConversationEndpoints
{
    private const string Example = "{ \"text\": \"I was charged twice on INV-1002, please refund it\" }";

    private const string ReadersDescription =
        "Its owner or an admin may read it, and so may an approver once it holds an approval request (of any status): the approver needs its context to decide.";

    public static void MapConversationEndpoints(this IEndpointRouteBuilder app)
    {
        // Reads are for the owner or an admin (FindAsync, and the list's own filter), and one conversation's messages and
        // events for an approver too when it holds an approval request; starting and sending need the user role.
        var group = app.MapGroup("/api/conversations").WithTags("Conversations").ProducesCallerProblems();
        group.MapGet("", ConversationList.ListAsync)
            .RequireRole(Roles.User, Roles.Admin)
            .WithSummary("List conversations, newest first, page by page")
            .WithDescription(ConversationList.Description)
            .Produces<ConversationListView>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("", CreateAsync)
            .RequireRole(Roles.User)
            .WithSummary("Start a conversation with the coordinator")
            .Produces<ConversationCreated>(StatusCodes.Status201Created);
        group.MapGet("/{id}", GetAsync)
            .RequireRole(Roles.User, Roles.Approver, Roles.Admin)
            .WithSummary("A conversation's messages")
            .WithDescription(ReadersDescription)
            .Produces<ConversationView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/turns/current/events", EventsAsync)
            .RequireRole(Roles.User, Roles.Approver, Roles.Admin)
            .WithSummary("Re-attach to the latest turn's events")
            .WithDescription(
                ReadersDescription + " The latest turn's events, running or ended, even after the Api restarted. With Accept: text/event-stream, streams them as POST .../messages does " +
                "and goes on until the turn ends; send Last-Event-ID (or ?lastEventId=) to read only what came after the last event you saw. Otherwise answers the trail so far as JSON.")
            .Produces<TurnEventsView>()
            .ProducesEventStream<TurnEvent>(ServerSentEvents.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/messages", SendAsync)
            .RequireRole(Roles.User)
            .WithSummary("Send a message: one turn")
            .WithDescription(
                "Answers when the turn ends with the reply and every event; with Accept: text/event-stream, streams each event as it happens " +
                "(id: seq, event: type, data: the event as JSON), keep-alive comments while a turn waits, and turn.completed or turn.failed last. " +
                "The turn outlives the caller. A turn that fails answers 500 with the events as an extension member, 502 when the model kept failing or an agent reached one of its limits. " +
                "When the demo model's script has no answer, the turn fails with 502: detail and reply are the sentence the customer was given (also stored as the conversation's answer), reason the script detail for the developer. " +
                "A caller that has spent its daily token budget (Governance:Limits:DailyTokens) gets 429 with Retry-After, before the turn or at its next model call.")
            .AcceptsJson<SendMessageRequest>()
            .Produces<TurnReply>()
            .ProducesEventStream<TurnEvent>(ServerSentEvents.ContentType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status500InternalServerError)
            .ProducesProblem(StatusCodes.Status502BadGateway);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ConversationService conversations)
    {
        var conversation = await conversations.CreateAsync(http.User.ToPrincipal(), http.RequestAborted);
        return TypedResults.Created($"/api/conversations/{conversation.Id}", new ConversationCreated(conversation.Id));
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ConversationService conversations, LiveTurns live, ApprovalService approvals)
    {
        var (conversation, problem) = await FindAsync(id, http, conversations, approvals);
        if (problem is not null)
        {
            return problem;
        }

        var turn = await conversations.GetLatestTurnAsync(id, http.RequestAborted);
        return TypedResults.Ok(new ConversationView(
            conversation!.Id,
            conversation.CreatedBy,
            conversation.CreatedAt,
            conversation.Messages.Select(m => new MessageView(m.Role, m.Agent, m.Text, m.At)).ToList())
        {
            Turn = turn is null ? null : new TurnView(turn.RunId, turn.Status, turn.StartedAt, turn.UpdatedAt)
            {
                EndedAt = turn.EndedAt,
                ApprovalId = turn.ApprovalId,
                Reason = turn.Reason,
                LastEventId = live.Find(id) is { } stream && stream.RunId == turn.RunId
                    ? stream.All is [.., var last] ? last.Seq : 0
                    : ConversationService.EventsOf(turn).Events is [.., var saved] ? saved.Seq : 0,
            },
        });
    }

    private static async Task<IResult> EventsAsync(string id, HttpContext http, ConversationService conversations, LiveTurns live, ApprovalService approvals, IOptions<ApiOptions> options)
    {
        var (_, problem) = await FindAsync(id, http, conversations, approvals);
        if (problem is not null)
        {
            return problem;
        }

        var lastSeen = http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? http.Request.Query["lastEventId"].FirstOrDefault();
        long after = 0;
        if (lastSeen is { Length: > 0 } && (!long.TryParse(lastSeen, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after)))
        {
            return Problems.BadRequest($"Last-Event-ID '{lastSeen}' is not an event number; send the id of the last event you received, or none for every event.");
        }

        var turn = await conversations.GetLatestTurnAsync(id, http.RequestAborted);
        if (turn is null)
        {
            return Problems.NotFound($"Conversation '{id}' has no turn yet; send a message with POST /api/conversations/{id}/messages.");
        }

        var stream = live.Find(id) is { } running && running.RunId == turn.RunId ? running : Recorded(turn);
        if (WantsEventStream(http.Request))
        {
            await ServerSentEvents.WriteAsync(http, stream, options.Value.KeepAliveInterval, after);
            return TypedResults.Empty;
        }

        return TypedResults.Ok(new TurnEventsView(turn.RunId, turn.Status, stream.After(after).Events));

        static TurnEventStream Recorded(AgentSuite.Governance.Conversations.TurnRecord turn)
        {
            var (events, last) = ConversationService.EventsOf(turn);
            return TurnEventStream.Recorded(turn.RunId, events, last);
        }
    }

    private static async Task<IResult> SendAsync(string id, HttpContext http, ConversationService conversations, LiveTurns live, IHostApplicationLifetime lifetime, IOptions<ApiOptions> options)
    {
        var (body, invalid) = await JsonBody.ReadAsync<SendMessageRequest>(http.Request, Example);
        if (invalid is not null)
        {
            return invalid;
        }

        var text = body!.Text;
        var max = options.Value.MaxMessageChars;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Problems.BadRequest($"The message is empty; send {Example}.");
        }

        if (text.Length > max)
        {
            return Problems.Result(StatusCodes.Status413PayloadTooLarge, "Message too long", $"The message is {text.Length} characters; the limit is {max} (AgentSuite:MaxMessageChars). Shorten it or split it into several messages.");
        }

        var (_, problem) = await FindAsync(id, http, conversations);
        if (problem is not null)
        {
            return problem;
        }

        var events = new TurnEventStream();
        var principal = http.User.ToPrincipal();

        // Not the request's token: the turn outlives the caller, and its outcome is stored either way. Only the host
        // stopping stops it, and then it stays unfinished, to be resumed from its checkpoint by the next start.
        StartedTurn started;
        try
        {
            started = await conversations.StartAsync(id, principal, text, events, lifetime.ApplicationStopping);
        }
        catch (ConversationBusyException)
        {
            return Busy(id);
        }
        catch (TokenBudgetExceededException ex)
        {
            return OverBudget(http, ex, "Your message was not sent.");
        }
        catch (AgentSuite.Governance.Admission.TurnRefusedException ex)
        {
            // A policy in error is the service's fault (503, nobody is served); a kill switch stops this caller (403).
            return Problems.Result(ex.PolicyError ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status403Forbidden,
                ex.PolicyError ? "Governance policy in error" : "Stopped by a kill switch", $"{ex.Message} Your message was not sent.");
        }

        var turn = started.Completion;
        events.RunId = started.RunId;
        events.EndWith(turn);
        live.Track(id, events, turn);

        if (WantsEventStream(http.Request))
        {
            await ServerSentEvents.WriteAsync(http, events, options.Value.KeepAliveInterval);
            return TypedResults.Empty;
        }

        try
        {
            var result = await turn;
            return TypedResults.Ok(new TurnReply(result.ConversationId, result.RunId, result.Reply, events.All));
        }
        catch (AgentSuite.Governance.Conversations.TurnLeaseLostException ex)
        {
            // Another instance took the turn over (this one stalled past its lease): it goes on there, so this is no failure.
            return Problems.Result(StatusCodes.Status202Accepted, "Turn moved to another instance",
                $"Your message was kept and its turn goes on on {ex.Holder ?? "another instance"}; read the reply with GET /api/conversations/{id} or follow GET /api/conversations/{id}/turns/current/events.",
                new Dictionary<string, object?> { ["runId"] = ex.RunId, ["events"] = events.All });
        }
        catch (TokenBudgetExceededException ex)
        {
            // The budget ran out mid-turn: the next model call was refused, which is a refusal, not a fault.
            return OverBudget(http, ex, "Your message was kept.", events.All);
        }
        catch (Exception ex) when (ModelNoAnswerException.Find(ex) is { } miss)
        {
            // The demo model had no answer: the turn failed, and the customer was answered plainly (that reply is also the
            // conversation's stored answer). The detail is the developer's, as on turn.failed.
            return Problems.Result(StatusCodes.Status502BadGateway, "The model has no answer", miss.Reply,
                new Dictionary<string, object?> { ["reply"] = miss.Reply, ["reason"] = miss.Message, ["events"] = events.All });
        }
        catch (Exception ex)
        {
            // A model that kept failing, or an agent that reached one of its limits (model calls per run, failed tool calls
            // in a row), is a bad gateway, not a fault of the Api; either way the message is kept.
            var status = ex is ModelCallException or AgentSuite.Agents.AgentRunException ? StatusCodes.Status502BadGateway : StatusCodes.Status500InternalServerError;
            return Problems.Result(status, "The turn failed", $"{ex.Message} Your message was kept; send it again to retry.", new Dictionary<string, object?> { ["events"] = events.All });
        }
    }

    /// <summary>429 with Retry-After: the principal's daily token budget renews at the next UTC midnight.</summary>
    private static IResult OverBudget(HttpContext http, TokenBudgetExceededException ex, string message, IReadOnlyList<TurnEvent>? events = null)
    {
        http.Response.Headers.RetryAfter = AgentSuite.Governance.Limits.RetryAfter.Seconds(ex.RetryAfter).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Result(StatusCodes.Status429TooManyRequests, "Token budget spent", $"{ex.Message} {message}", events is null ? null : new Dictionary<string, object?> { ["events"] = events });
    }

    private static IResult Busy(string id) =>
        Problems.Conflict($"Conversation '{id}' is in the middle of a turn (it may be waiting for an approval, and may be running on another instance of the Api); wait for its reply, then send the next message.");

    private static bool WantsEventStream(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The conversation, if it exists and the caller may use it: its owner, or an admin; with <paramref name="readers"/>
    /// (a read), also an approver when the conversation holds an approval request.
    /// </summary>
    private static async Task<(Conversation? Conversation, IResult? Problem)> FindAsync(string id, HttpContext http, ConversationService conversations, ApprovalService? readers = null)
    {
        var conversation = await conversations.GetAsync(id, http.RequestAborted);
        if (conversation is null)
        {
            return (null, Problems.NotFound($"No conversation '{id}' exists; create one with POST /api/conversations."));
        }

        var caller = http.User.ToPrincipal();
        if (conversation.IsOwnedBy(caller) || caller.IsInRole(Roles.Admin))
        {
            return (conversation, null);
        }

        if (readers is not null && caller.IsInRole(Roles.Approver) && await readers.AnyInConversationAsync(id, http.RequestAborted))
        {
            return (conversation, null);
        }

        return (null, Problems.Forbidden(readers is not null && caller.IsInRole(Roles.Approver)
            ? $"Conversation '{id}' belongs to another user and holds no approval request, so an approver may not read it."
            : $"Conversation '{id}' belongs to another user."));
    }

    private sealed record SendMessageRequest(string? Text);
}
