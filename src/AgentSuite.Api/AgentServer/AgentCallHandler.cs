using System.Security.Claims;
using System.Text;
using System.Text.Json;
using AgentSuite.Agents;
using AgentSuite.Agents.Remote;
using AgentSuite.Api.Auth;
using AgentSuite.Api.Turns;
using AgentSuite.Governance;
using AgentSuite.Governance.AgentCalls;
using AgentSuite.Governance.Conversations;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace AgentSuite.Api.AgentServer;

/// <summary>
/// Runs an <c>ask_NAME</c> call as a turn of the caller's conversation, under the caller's principal, and answers with the
/// reply, or with where the turn stands when it outlasts the wait. An idempotency key names one turn for good: a repeated
/// key answers from that turn. A call on a conversation whose turn is still active reports that turn and sends nothing.
/// </summary>
internal sealed class AgentCallHandler(
    ConversationService conversations,
    ITurnStore turns,
    IAgentCallStore calls,
    LiveTurns live,
    FrontDoorGate gate,
    IOptions<AgentServerOptions> server,
    IOptions<ApiOptions> api,
    IHostApplicationLifetime lifetime,
    TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public async Task<CallToolResult> AskAsync(string agent, ClaimsPrincipal user, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        var options = server.Value;
        var caller = user.ToPrincipal();
        var tool = AskAgentTool.Prefix + agent;
        var args = AskAgentArguments.Read(tool, arguments, api.Value.MaxMessageChars, options.MaxWaitSeconds);
        var wait = TimeSpan.FromSeconds(args.WaitSeconds ?? options.DefaultWaitSeconds);
        var owner = Owner(caller);
        var hash = Hashing.Sha256Hex(Encoding.UTF8.GetBytes(agent + "\n" + args.Message));

        // A caller without a key gets one, so "call again for the outcome" never starts a second turn.
        var key = args.IdempotencyKey ?? "auto_" + Guid.NewGuid().ToString("N");
        var notAllowed = options.Agents.TryGetValue(agent, out var served) && served.Admits(caller)
            ? null
            : $"'{caller.Name}' may not ask the {agent} agent (AgentServer:Agents:{agent} names who may).";
        if (await gate.AdmitAsync(new FrontDoorCall(caller, agent, key, args.ConversationId, hash), notAllowed, cancellationToken) is { } refusal)
        {
            return Refused(refusal);
        }

        if (args.IdempotencyKey is { } given && await calls.GetAsync(owner, given, cancellationToken) is { } earlier)
        {
            return await RepeatAsync(earlier, agent, hash, args, wait, cancellationToken);
        }

        Conversation? conversation = null;
        if (args.ConversationId is { } id)
        {
            conversation = await conversations.GetAsync(id, cancellationToken)
                ?? throw new McpException($"No conversation '{id}' exists; omit conversation_id to start a new one.");
            if (!conversation.IsOwnedBy(caller))
            {
                return Refused($"Conversation '{id}' belongs to another principal; omit conversation_id to start your own.");
            }

            if (await conversations.GetLatestTurnAsync(id, cancellationToken) is { } latest && TurnStatus.IsActive(latest.Status))
            {
                return await FollowAsync(latest.RunId, id, null, wait, busy: true, cancellationToken);
            }
        }

        // The key is claimed before a conversation is made, so concurrent retries of one key leave one conversation.
        if (await calls.TryClaimAsync(new AgentCall(owner, key, agent, hash, conversation?.Id ?? "", time.GetUtcNow()), cancellationToken) is { } raced)
        {
            return await RepeatAsync(raced, agent, hash, args, wait, cancellationToken);
        }

        var events = new TurnEventStream();
        StartedTurn started;
        try
        {
            conversation ??= await conversations.CreateAsync(caller, CancellationToken.None);

            // Not the call's token: the turn outlives the call, as a turn outlives an HTTP request.
            started = await conversations.StartAsync(conversation.Id, agent, caller, args.Message, events, lifetime.ApplicationStopping);
        }
        catch (Exception ex) when (ex is AgentSuite.Governance.Budgets.TokenBudgetExceededException or AgentSuite.Governance.Admission.TurnRefusedException)
        {
            await calls.ReleaseAsync(owner, key, CancellationToken.None);
            return Refused(ex.Message);
        }
        catch (ConversationBusyException)
        {
            await calls.ReleaseAsync(owner, key, CancellationToken.None);
            var busy = conversation!.Id;
            var active = await conversations.GetLatestTurnAsync(busy, cancellationToken);
            return active is null ? Refused($"Conversation '{busy}' is busy; call again.") : await FollowAsync(active.RunId, busy, null, wait, busy: true, cancellationToken);
        }
        catch
        {
            await calls.ReleaseAsync(owner, key, CancellationToken.None);
            throw;
        }

        events.RunId = started.RunId;
        events.EndWith(started.Completion);
        live.Track(conversation.Id, events, started.Completion);
        await calls.SetRunAsync(owner, key, conversation.Id, started.RunId, CancellationToken.None);
        return await FollowAsync(started.RunId, conversation.Id, key, wait, busy: false, cancellationToken);
    }

    private async Task<CallToolResult> RepeatAsync(AgentCall earlier, string agent, string hash, AskAgentArguments args, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!string.Equals(earlier.Agent, agent, StringComparison.Ordinal) || !string.Equals(earlier.RequestHash, hash, StringComparison.Ordinal))
        {
            throw new McpException($"idempotency_key '{earlier.Key}' was used for another request (agent {earlier.Agent}, another message); use a new key for a new request.");
        }

        // The call holding the key may still be starting its turn (a concurrent retry): wait for it, within the wait.
        var deadline = time.GetUtcNow() + wait;
        AgentCall? call = earlier;
        while (call is { RunId: null } && time.GetUtcNow() < deadline)
        {
            await Task.Delay(PollInterval, time, cancellationToken);
            call = await calls.GetAsync(earlier.Caller, earlier.Key, cancellationToken);
        }

        if (call is null)
        {
            return Refused($"The earlier call with idempotency_key '{earlier.Key}' could not start its turn; call again to retry.");
        }

        if (args.ConversationId is { } id && call.ConversationId.Length > 0 && !string.Equals(id, call.ConversationId, StringComparison.Ordinal))
        {
            throw new McpException($"idempotency_key '{call.Key}' belongs to conversation '{call.ConversationId}', not '{id}'.");
        }

        return call.RunId is { } run
            ? await FollowAsync(run, call.ConversationId, call.Key, deadline - time.GetUtcNow(), busy: false, cancellationToken)
            : new CallToolResult { Content = [new TextContentBlock { Text = $"still starting; call again with idempotency_key {call.Key} for the outcome." }], Meta = AgentCallStatus.Meta(AgentCallStatus.Running, key: call.Key) };
    }

    /// <summary>Waits up to <paramref name="wait"/> for the turn to end, reading its record (so it works for a turn resumed after a restart too).</summary>
    private async Task<CallToolResult> FollowAsync(string runId, string conversationId, string? key, TimeSpan wait, bool busy, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        var turn = await turns.GetAsync(runId, cancellationToken);
        while (turn is not null && TurnStatus.IsActive(turn.Status) && time.GetUtcNow() < deadline)
        {
            await live.NextChangeAsync(conversationId, PollInterval, time, cancellationToken);
            turn = await turns.GetAsync(runId, cancellationToken);
        }

        var again = key is null
            ? $"call again with conversation_id {conversationId} once it has ended"
            : $"call again with conversation_id {conversationId} and idempotency_key {key} for the outcome";
        var prefix = busy ? $"Conversation '{conversationId}' is in the middle of a turn, so your message was not sent. " : "";
        var result = turn switch
        {
            null => throw new McpException($"No turn '{runId}' exists."),
            { Status: TurnStatus.Waiting } => Text($"{prefix}waiting for approval: {turn.ApprovalId}; {again}."),
            { Status: TurnStatus.Running } => Text($"{prefix}still running; {again}."),
            { Status: TurnStatus.Completed } when busy => Text($"The earlier turn of conversation '{conversationId}' has ended; send your message again."),
            { Status: TurnStatus.Completed } => Text(Reply(turn) + $"\n\n(conversation_id {conversationId})"),

            // A turn that failed with a reply for the customer (the demo model had no answer) gives that reply; the detail stays the developer's.
            { Status: TurnStatus.Failed } when FailedReply(turn) is { } reply => Refused($"{reply} (conversation_id {conversationId})"),
            _ => Refused($"The turn {turn.Status}: {turn.Reason} (conversation_id {conversationId}). Your message was kept; send it again with a new idempotency_key to retry."),
        };

        // Where the turn stands, for a program: the text of a reply is model output and must not be read for it.
        var status = busy ? AgentCallStatus.Busy : turn.Status switch
        {
            TurnStatus.Waiting => AgentCallStatus.Waiting,
            TurnStatus.Running => AgentCallStatus.Running,
            TurnStatus.Completed => AgentCallStatus.Completed,
            _ => AgentCallStatus.Failed,
        };
        // A failure with a reply (a model with no answer) is marked, so a coordinator fails its turn the same way.
        var noAnswer = !busy && turn.Status == TurnStatus.Failed && FailedReply(turn) is { } sentence ? (sentence, turn.Reason) : ((string, string?)?)null;
        result.Meta = AgentCallStatus.Meta(status, conversationId, key, status == AgentCallStatus.Waiting ? turn.ApprovalId : null, noAnswer);
        return result;
    }

    private static string Reply(TurnRecord turn) =>
        ConversationService.EventsOf(turn).Events.LastOrDefault(e => e.Event.Type == GovernanceEventTypes.TurnCompleted)?.Event.Reason ?? "";

    private static string? FailedReply(TurnRecord turn) =>
        ConversationService.EventsOf(turn).Events.LastOrDefault(e => e.Event.Type == GovernanceEventTypes.TurnFailed)?.Event.Reply;

    /// <summary>Whose keys these are: a token's subject, else the name (compared case-insensitively, as ownership is).</summary>
    internal static string Owner(Principal caller) => caller.Subject is { Length: > 0 } subject ? "sub:" + subject : "name:" + caller.Name.ToUpperInvariant();

    private static CallToolResult Text(string text) => new() { Content = [new TextContentBlock { Text = text }] };

    private static CallToolResult Refused(string text) => new() { Content = [new TextContentBlock { Text = text }], IsError = true };
}
