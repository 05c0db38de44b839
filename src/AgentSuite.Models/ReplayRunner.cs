using System.Text.RegularExpressions;

namespace AgentSuite.Models;

/// <summary>
/// The strict side of <see cref="ScriptRunner"/> for replays: the recorded turn's next step, after checking that this run
/// still matches the recording (the outcomes the recorded model saw, the tools on offer). Every difference throws a
/// <see cref="ReplayDivergenceException"/>; denials and failures take the recorded next step, not a canned reply.
/// </summary>
internal static class ReplayRunner
{
    public static MockAnswer Decide(MockScript script, string? agent, Turn turn, IReadOnlySet<string> offered, MockRule rule, Match? match)
    {
        var at = new ReplayPoint(script.Name, agent, turn.User, turn.Step + 1, rule.Steps.Count, rule.Line);
        if (turn.Step >= rule.Steps.Count)
        {
            throw at.Diverged($"the app asked for more model calls than were recorded: the recorded model answered this message in {rule.Steps.Count} " +
                $"({(rule.Name is { } name ? $"rule '{name}'" : rule.Label)}), the last {Describe(rule.Steps[^1])}.");
        }

        var step = rule.Steps[turn.Step];
        if (step.PreviousOutcomes is { } expected && Difference(expected, turn.LatestStepResults) is { } difference)
        {
            throw at.Diverged(difference);
        }

        var notOffered = ScriptRunner.NotOffered(step, offered);
        if (notOffered.Count > 0 && !step.EvenIfNotOffered)
        {
            var tools = string.Join(" and ", notOffered.Select(t => $"'{t}'"));
            throw at.Diverged($"the recorded model called {tools}, which this run did not offer " +
                (offered.Count == 0 ? "(no tools were offered)" : $"(offered: {string.Join(", ", offered.Order(StringComparer.Ordinal))})") +
                $"; the recording offered {(notOffered.Count == 1 ? "it" : "them")}.");
        }

        return ScriptRunner.Take(step, new TemplateScope(agent ?? "", turn, match, null), (what, missing) =>
            throw at.Diverged($"the {what} of the step at line {step.Line} refers to a missing value: {missing.Message}"));
    }

    /// <summary>No rule answers the message: it was never recorded for this agent, or not this many times.</summary>
    public static ReplayDivergenceException Unrecorded(MockScript script, string? agent, Turn turn, int occurrence, int recordedTimes)
    {
        var at = new ReplayPoint(script.Name, agent, turn.User, turn.Step + 1, null, 0);
        if (recordedTimes > 0)
        {
            return at.Diverged($"this is time {occurrence} that {MockReplies.AgentLabel(agent)} is sent this user message in this conversation; " +
                $"the recording has it {recordedTimes} time(s).");
        }

        var recorded = script.RulesFor(agent).Select(r => r.Answers).Distinct(StringComparer.Ordinal).ToList();
        return at.Diverged(recorded.Count == 0
            ? $"the recording has no exchange for this user message: it has nothing for {MockReplies.AgentLabel(agent)} (it has agents: {string.Join(", ", script.Agents.Order(StringComparer.Ordinal))})."
            : $"the recording has no exchange for this user message. For {MockReplies.AgentLabel(agent)} it has: {string.Join("; ", recorded)}.");
    }

    private static string Describe(MockStep step) => step.IsCall
        ? $"calling {string.Join(", ", step.Calls.Select(c => c.Tool))}"
        : $"replying {ReplayDivergenceException.Quote(step.Reply!.Source)}";

    /// <summary>Compares outcome kinds by tool, in call order; the results' contents may differ between runs (ids, times).</summary>
    private static string? Difference(IReadOnlyList<KeyValuePair<string, string>> expected, IReadOnlyList<ToolResult> actual)
    {
        var want = expected.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var got = actual.OrderBy(r => r.Tool, StringComparer.Ordinal).ToList();
        var saw = $"the recording's model saw {string.Join(", ", expected.Select(e => $"{e.Key} → {e.Value}"))}";
        if (!want.Select(w => w.Key).SequenceEqual(got.Select(g => g.Tool), StringComparer.Ordinal))
        {
            return $"{saw}; this run it saw {(got.Count == 0 ? "no tool results" : string.Join(", ", actual.Select(r => $"{r.Tool} → {r.Outcome}")))}.";
        }

        var differs = want.Zip(got).FirstOrDefault(p => p.First.Value != p.Second.Outcome).Second;
        return differs is null ? null : $"{saw}; this run {(expected.Count == 1 ? "it" : differs.Tool)} {Happened(differs)}.";
    }

    private static string Happened(ToolResult result) =>
        result.IsDenied ? $"was denied{(result.DenialStage is { } stage ? $" ({stage})" : "")}: {result.DenialReason}"
        : result.IsError ? $"failed: {result.ErrorMessage}"
        : "completed (ok)";
}
