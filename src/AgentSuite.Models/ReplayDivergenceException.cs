namespace AgentSuite.Models;

/// <summary>
/// A replay (a script with <c>replay: true</c>, such as a converted recording) met something the recording did not: the
/// message says where (the file, the agent, the user message, the model call) and what differed. <see cref="MockScriptException.Line"/>
/// is the line of the rule that was replaying (of the converted YAML, for a recording loaded as is), 0 when none was.
/// </summary>
public sealed class ReplayDivergenceException : MockScriptException
{
    private const int ExcerptLength = 80;

    internal ReplayDivergenceException(string scriptName, string? agent, string? userMessage, int modelCall, int? recordedCalls, int line, string difference)
        : base(scriptName, line, line == 0 ? 0 : 1, difference, Describe(scriptName, agent, userMessage, modelCall, recordedCalls, difference), null)
    {
        Agent = agent;
        UserMessage = userMessage;
        ModelCall = modelCall;
        RecordedCalls = recordedCalls;
    }

    /// <summary>The agent whose model call diverged; null when the request named none.</summary>
    public string? Agent { get; }

    /// <summary>The latest user message of the diverging request, in full.</summary>
    public string? UserMessage { get; }

    /// <summary>1-based: which model call of the agent's turn on <see cref="UserMessage"/> diverged.</summary>
    public int ModelCall { get; }

    /// <summary>How many model calls the recording has for this turn; null when it has no such turn.</summary>
    public int? RecordedCalls { get; }

    /// <summary>A text as messages quote it: on one line, shortened to about 80 characters.</summary>
    internal static string Quote(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return $"\"{(line.Length <= ExcerptLength ? line : line[..(ExcerptLength - 3)] + "...")}\"";
    }

    private static string Describe(string scriptName, string? agent, string? userMessage, int modelCall, int? recordedCalls, string difference) =>
        $"The replay '{scriptName}' diverged from the recording at {MockReplies.AgentLabel(agent)}, user message {(userMessage is null ? "(none)" : Quote(userMessage))}, " +
        $"model call {modelCall}{(recordedCalls is { } m ? $" of {m}" : "")}: {difference} " +
        $"A replay answers only what was recorded: make the run match it, record it again against the real model, or convert it to YAML and edit it ({MockReplies.Guide}).";
}
