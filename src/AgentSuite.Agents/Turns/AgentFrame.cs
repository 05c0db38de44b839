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
    private int _recordedCount = -1;
    private ChatMessage? _recordedLast;

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

    /// <summary>Where the saved history's latest model response starts: after the last message that is not the assistant's.</summary>
    public static int ResponseStart(IReadOnlyList<ChatMessage> messages)
    {
        var start = messages.Count;
        while (start > 0 && messages[start - 1].Role == ChatRole.Assistant)
        {
            start--;
        }

        return start;
    }

    /// <summary>The model's ids of the calls of a saved frame's latest response that have no recorded result.</summary>
    public static HashSet<string> Unanswered(FrameCheckpoint saved)
    {
        var answered = saved.Results.Select(r => r.CallId).ToHashSet(StringComparer.Ordinal);
        return saved.Messages.Skip(ResponseStart(saved.Messages))
            .SelectMany(m => m.Contents.OfType<FunctionCallContent>())
            .Select(c => c.CallId)
            .Where(id => !answered.Contains(id))
            .ToHashSet(StringComparer.Ordinal);
    }

    public static AgentFrame Resumed(FrameCheckpoint saved)
    {
        var messages = saved.Messages;
        var start = ResponseStart(messages);
        var response = messages.Skip(start).ToList();
        var calls = response.SelectMany(m => m.Contents.OfType<FunctionCallContent>()).ToList();
        var recorded = saved.Results.ToDictionary(r => r.CallId, r => r.Result, StringComparer.Ordinal);
        var unanswered = Unanswered(saved);
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

    /// <summary>
    /// Whether the tool loop's messages hold a response this frame has not recorded yet. Every round appends the response
    /// and then its results, so the count and the last message tell rounds apart whichever of a response's calls reaches
    /// the filter first.
    /// </summary>
    public bool IsNewResponse(IList<ChatMessage> messages) =>
        messages.Count != _recordedCount || (messages.Count > 0 && !ReferenceEquals(messages[^1], _recordedLast));

    /// <summary>Records the response; returns whether it is new work (false for the response a resumed frame replays).</summary>
    public bool BeginResponse(IList<ChatMessage> messages)
    {
        _recordedCount = messages.Count;
        _recordedLast = messages.Count > 0 ? messages[^1] : null;
        State.Messages = messages.Where(m => m.Role != ChatRole.System).ToList();
        if (_replaying)
        {
            _replaying = false;
            return false;
        }

        State.Results.Clear();
        _recorded = null;
        _interrupted = null;
        return true;
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
