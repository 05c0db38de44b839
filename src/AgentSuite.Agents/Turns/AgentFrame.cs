using System.Text.Json;
using AgentSuite.Governance;
using Microsoft.Extensions.AI;

namespace AgentSuite.Agents.Turns;

/// <summary>
/// One running agent of a durable turn. A resumed frame knows the model response whose calls were not all answered when
/// the turn stopped: it is replayed to the agent's tool loop instead of asking the model again, the calls already
/// answered get their recorded results, and the others are governed again, marked as resumed.
/// </summary>
internal sealed class AgentFrame
{
    private Dictionary<string, JsonElement?>? _recorded;
    private HashSet<string>? _interrupted;
    private bool _replaying;

    public AgentFrame(FrameCheckpoint state)
    {
        State = state;
        History = state.Messages;
    }

    public FrameCheckpoint State { get; }

    /// <summary>The messages the agent's run starts from.</summary>
    public IReadOnlyList<ChatMessage> History { get; private init; }

    /// <summary>The model response to hand the tool loop before asking the model anything, or null.</summary>
    public IReadOnlyList<ChatMessage>? Replay { get; private init; }

    public static AgentFrame Resumed(FrameCheckpoint saved)
    {
        var messages = saved.Messages;
        var start = messages.Count;
        while (start > 0 && messages[start - 1].Role == ChatRole.Assistant)
        {
            start--;
        }

        var response = messages.Skip(start).ToList();
        var calls = response.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).ToList();
        var recorded = saved.Results.ToDictionary(r => r.CallId, r => r.Result, StringComparer.Ordinal);
        var unanswered = calls.Where(c => !recorded.ContainsKey(c.CallId)).Select(c => c.CallId).ToHashSet(StringComparer.Ordinal);
        if (unanswered.Count == 0)
        {
            // Every call has its result (or the model had not answered yet): the model is asked again from here.
            var history = messages.ToList();
            if (calls.Count > 0)
            {
                history.Add(new ChatMessage(ChatRole.Tool, [.. saved.Results.Select(r => new FunctionResultContent(r.CallId, r.Result))]));
            }

            saved.Messages = history;
            saved.Results.Clear();
            return new AgentFrame(saved);
        }

        return new AgentFrame(saved)
        {
            History = messages.Take(start).ToList(),
            Replay = response,
            _recorded = recorded,
            _interrupted = unanswered,
            _replaying = true,
        };
    }

    public void BeginResponse(IEnumerable<ChatMessage> messages)
    {
        State.Messages = messages.ToList();
        if (_replaying)
        {
            _replaying = false;
        }
        else
        {
            State.Results.Clear();
            _recorded = null;
            _interrupted = null;
        }
    }

    /// <summary>The result recorded before the turn stopped for a call of the replayed response.</summary>
    public bool TryRecorded(string modelCallId, out JsonElement? result)
    {
        result = null;
        return _recorded is not null && _recorded.TryGetValue(modelCallId, out result);
    }

    /// <summary>Whether a call of the replayed response was under way when the turn stopped.</summary>
    public bool WasInterrupted(string modelCallId) => _interrupted?.Contains(modelCallId) == true;
}
