using System.Text.Json;
using System.Text.Json.Serialization;
using AgentSuite.Governance;
using Microsoft.Extensions.AI;

namespace AgentSuite.Agents.Turns;

/// <summary>
/// A turn's state as the store keeps it (<c>TurnRecord.State</c>): who it runs for, the stack of running agents
/// (coordinator first), each agent's chat history so far and the results recorded for its latest model response, the
/// call each agent is waiting on, and the turn's events so far (without the text deltas). Enough to resume the turn in
/// another process.
/// </summary>
public sealed class TurnCheckpoint
{
    /// <summary>The shape of this document; a checkpoint of another version is not resumed.</summary>
    public const int CurrentVersion = 1;

    internal static readonly JsonSerializerOptions Json = new(AIJsonUtilities.DefaultOptions)
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };

    public int Version { get; set; } = CurrentVersion;

    public required string Coordinator { get; set; }

    public required string Principal { get; set; }

    public List<string> Roles { get; set; } = [];

    /// <summary>A token holder's subject, so a resumed turn's approvals are still judged on the person, not the name.</summary>
    public string? Subject { get; set; }

    /// <summary>The service that asked for the person (a coordinator acting for them), so a resumed turn still records it.</summary>
    public string? Via { get; set; }

    /// <summary>How many steps have been recorded (model responses and tool outcomes).</summary>
    public long Step { get; set; }

    /// <summary>How many times in a row the turn has been resumed after a crash without making progress since.</summary>
    public int Resumes { get; set; }

    /// <summary>Whether the turn's last process stopped it on shutdown (a deploy), rather than dying.</summary>
    public bool StoppedCleanly { get; set; }

    /// <summary>
    /// How far a resumed turn's event numbers jump past the last saved one: events published after the last checkpoint
    /// (text deltas, mostly) were seen by readers but not saved, and their numbers must not be used again.
    /// </summary>
    public const long ResumeSeqGap = 1_000_000;

    public List<FrameCheckpoint> Frames { get; set; } = [];

    public List<RecordedEvent> Events { get; set; } = [];

    /// <summary>The number of the last event published, deltas included (the next continues from it).</summary>
    public long LastEventSeq { get; set; }

    public Principal ToPrincipal() => new(Principal, [.. Roles]) { Subject = Subject, Via = Via };

    public string Serialize() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a stored checkpoint; throws <see cref="InvalidDataException"/> when it cannot be resumed.</summary>
    public static TurnCheckpoint Read(string json)
    {
        TurnCheckpoint? checkpoint;
        try
        {
            checkpoint = JsonSerializer.Deserialize<TurnCheckpoint>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The turn's checkpoint is not readable: {ex.Message}", ex);
        }

        if (checkpoint is null || checkpoint.Version != CurrentVersion)
        {
            throw new InvalidDataException($"The turn's checkpoint has version {checkpoint?.Version.ToString() ?? "none"}; this build resumes version {CurrentVersion}.");
        }

        return checkpoint;
    }
}

/// <summary>One running agent: its place in the hand-off tree, its history so far, and what it waits on.</summary>
public sealed class FrameCheckpoint
{
    public required string Agent { get; set; }

    /// <summary>The hand-off call that started this agent (null for the coordinator).</summary>
    public string? ParentToolCallId { get; set; }

    public List<string> Callers { get; set; } = [];

    /// <summary>The agent's chat history without its instructions: what it was given, then every model response and tool result.</summary>
    public List<ChatMessage> Messages { get; set; } = [];

    /// <summary>Results recorded for the calls of the latest model response (the last message), in the order they came.</summary>
    public List<RecordedResult> Results { get; set; } = [];

    /// <summary>The call being governed or run, if any.</summary>
    public PendingCall? Pending { get; set; }
}

/// <summary>A tool result the model has not yet read, by the model's call id.</summary>
public sealed record RecordedResult(string CallId, JsonElement? Result);

/// <summary>The call an agent waits on: its id as governance knows it, and once known its approval, arguments hash and idempotency key.</summary>
public sealed record PendingCall(string ToolCallId, string Tool)
{
    public string? ApprovalId { get; init; }

    public string? ArgumentsHash { get; init; }

    public string? IdempotencyKey { get; init; }

    /// <summary>Whether the tool had been started (its outcome is unknown if the process stopped then).</summary>
    public bool Executing { get; init; }
}

/// <summary>A turn event kept with the checkpoint, so a person who reconnects, even to a restarted Api, sees the turn's trail.</summary>
public sealed record RecordedEvent(long Seq, GovernanceEvent Event);
