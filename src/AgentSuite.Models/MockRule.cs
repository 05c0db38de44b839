using System.Text.RegularExpressions;

namespace AgentSuite.Models;

/// <summary>
/// One scripted scenario of one agent: when its pattern matches the latest user message (and, in a replay, this is the
/// <see cref="Occurrence"/>-th time the agent is sent that message), its steps drive the turn.
/// </summary>
internal sealed record MockRule(string Agent, string? Name, Regex? When, IReadOnlyList<MockStep> Steps, int Line, int? Occurrence = null)
{
    public string Label => Name is null ? $"the rule at line {Line}" : $"rule '{Name}' (line {Line})";

    /// <summary>The message the rule answers, for people: the text itself for an exact pattern (as replays write them).</summary>
    public string Answers
    {
        get
        {
            var what = When is null ? "any message"
                : ExactPattern.TryRead(When.ToString(), out var text) ? ReplayDivergenceException.Quote(text)
                : $"/{When}/";
            return Occurrence is { } n ? $"{what} (time {n})" : what;
        }
    }
}
