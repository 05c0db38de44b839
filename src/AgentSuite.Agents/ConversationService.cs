using System.Collections.Concurrent;
using AgentSuite.Governance;
using AgentSuite.Governance.Conversations;
using AgentSuite.Governance.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace AgentSuite.Agents;

/// <summary>
/// Conversations with the coordinator. A turn stores the user's message before anything runs (nothing a user sent is
/// lost), runs the coordinator on the whole history under a new run id, and stores the reply. One turn at a time per
/// conversation: a message sent mid-turn is refused, not queued behind an approval that may take minutes.
/// </summary>
public sealed class ConversationService(IConversationStore store, AgentRunner runner, IOptions<AgentsOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _turns = new(StringComparer.Ordinal);

    public async Task<Conversation> CreateAsync(Principal owner, CancellationToken cancellationToken = default)
    {
        var id = "conv_" + Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow();
        await store.CreateAsync(id, owner.Name, now, cancellationToken);
        return new Conversation(id, owner.Name, now, []);
    }

    public Task<Conversation?> GetAsync(string id, CancellationToken cancellationToken = default) => store.GetAsync(id, cancellationToken);

    public async Task<TurnResult> SendAsync(string conversationId, Principal principal, string text, IGovernanceEventSink? events = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var gate = _turns.GetOrAdd(conversationId, static _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(0, cancellationToken))
        {
            throw new ConversationBusyException(conversationId);
        }

        var coordinator = options.Value.Coordinator;
        var run = new AgentRunContext(conversationId, "run_" + Guid.NewGuid().ToString("N"), coordinator, principal) { Events = events };
        var started = false;
        var clock = time.GetTimestamp();
        string? outcome = null;
        try
        {
            // Read inside the gate: the previous turn's reply is part of the history this turn runs on.
            var conversation = await store.GetAsync(conversationId, cancellationToken);
            if (conversation is null)
            {
                // Not a turn: forget the gate so unknown ids leave nothing behind.
                _turns.TryRemove(new KeyValuePair<string, SemaphoreSlim>(conversationId, gate));
                throw new KeyNotFoundException($"No conversation '{conversationId}' exists; create one first.");
            }

            started = true;
            await store.AppendAsync(conversationId, new ConversationMessage("user", null, text, time.GetUtcNow()), cancellationToken);
            var history = conversation.Messages
                .Select(m => new ChatMessage(m.Role == "user" ? ChatRole.User : ChatRole.Assistant, m.Text))
                .Append(new ChatMessage(ChatRole.User, text));
            var result = await runner.RunAsync(coordinator, run, history, cancellationToken);
            await store.AppendAsync(conversationId, new ConversationMessage("assistant", coordinator, result.Text, time.GetUtcNow()), CancellationToken.None);
            outcome = "completed";
            events?.Publish(new GovernanceEvent(GovernanceEventTypes.TurnCompleted, coordinator, null, null, time.GetUtcNow()) { Reason = result.Text });
            return new TurnResult(conversationId, run.RunId, result.Text);
        }
        catch (Exception ex) when (started && (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested))
        {
            outcome = "failed";
            events?.Publish(new GovernanceEvent(GovernanceEventTypes.TurnFailed, coordinator, null, null, time.GetUtcNow()) { Reason = ex.Message });
            throw;
        }
        finally
        {
            if (started)
            {
                AgentSuiteMetrics.RecordTurn(time.GetElapsedTime(clock), coordinator, outcome ?? "cancelled");
            }

            gate.Release();
        }
    }
}
