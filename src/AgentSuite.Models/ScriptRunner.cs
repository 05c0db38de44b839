using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentSuite.Models;

/// <summary>
/// Decides the mock's next answer from the script and the conversation alone: the first rule whose pattern matches the
/// latest user message, then the step numbered by the model calls already made since it, after checking the previous
/// call step's results for a denial or a failure. Where the script cannot be followed it throws a
/// <see cref="MockScriptMissException"/> that says where and what to add; a replay (<see cref="MockScript.IsReplay"/>)
/// goes on in <see cref="ReplayRunner"/>, and throws a <see cref="ReplayDivergenceException"/> there instead.
/// </summary>
internal static class ScriptRunner
{
    /// <param name="occurrence">The how-many-th time the agent is sent this user message, for rules with an occurrence.</param>
    public static MockAnswer Decide(MockScript script, string? agent, Turn turn, IReadOnlySet<string> offered, int occurrence = 1)
    {
        if (turn.User is null)
        {
            return script.IsReplay
                ? throw new ReplayPoint(script.Name, agent, null, turn.Step + 1, null, 0).Diverged("the app sent no user message, and every recorded exchange answers one.")
                : throw Miss(script, agent, turn, null, 0, MockReplies.NoUserMessage());
        }

        MockRule? rule = null;
        Match? match = null;
        var times = 0;
        foreach (var candidate in script.RulesFor(agent))
        {
            try
            {
                match = candidate.When?.Match(turn.User);
            }
            catch (RegexMatchTimeoutException)
            {
                return script.IsReplay
                    ? throw new ReplayPoint(script.Name, agent, turn.User, turn.Step + 1, null, candidate.Line).Diverged(MockReplies.PatternTimedOut(candidate))
                    : throw Miss(script, agent, turn, candidate, candidate.Line, MockReplies.PatternTimedOut(candidate));
            }

            if (match is null or { Success: true })
            {
                if (candidate.Occurrence is { } n && n != occurrence)
                {
                    times = Math.Max(times, n);
                    continue;
                }

                rule = candidate;
                break;
            }
        }

        if (rule is null)
        {
            throw script.IsReplay ? ReplayRunner.Unrecorded(script, agent, turn, occurrence, times) : Miss(script, agent, turn, null, 0, MockReplies.Unscripted(agent));
        }

        if (script.IsReplay)
        {
            return ReplayRunner.Decide(script, agent, turn, offered, rule, match);
        }

        var problem = turn.LatestStepResults.FirstOrDefault(r => r.IsDenied) ?? turn.LatestStepResults.FirstOrDefault(r => r.IsError);
        if (problem is not null && turn.Step > 0 && turn.Step <= rule.Steps.Count && rule.Steps[turn.Step - 1] is { IsCall: true } previous)
        {
            var handler = problem.IsDenied ? previous.OnDenied : previous.OnError;
            return handler is null
                ? MockAnswer.Reply(problem.IsDenied ? MockReplies.Denied(problem) : MockReplies.Failed(problem))
                : Render(handler, new TemplateScope(agent ?? "", turn, match, problem), script, agent, turn, rule, previous, problem.IsDenied ? "on_denied" : "on_error");
        }

        if (turn.Step >= rule.Steps.Count)
        {
            throw Miss(script, agent, turn, rule, rule.Line, MockReplies.OutOfSteps(rule, turn.Step));
        }

        var step = rule.Steps[turn.Step];
        // A model can only call tools when it is offered some; with 'even_if_not_offered' it may name one it was not given.
        var notOffered = NotOffered(step, offered);
        if (notOffered.Count > 0 && !(step.EvenIfNotOffered && offered.Count > 0))
        {
            throw Miss(script, agent, turn, rule, step.Line, MockReplies.NotOffered(agent, notOffered, offered.Order(StringComparer.Ordinal).ToList()));
        }

        return Take(step, new TemplateScope(agent ?? "", turn, match, null), (what, missing) => throw Miss(script, agent, turn, rule, step.Line, MockReplies.MissingValue(what, missing)));
    }

    public static List<string> NotOffered(MockStep step, IReadOnlySet<string> offered) =>
        step.Calls.Select(c => c.Tool).Where(t => !offered.Contains(t)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The step's reply or calls, its templates rendered; <paramref name="missing"/> answers for a value that is not there.</summary>
    public static MockAnswer Take(MockStep step, TemplateScope scope, Func<string, MissingValueException, MockAnswer> missing)
    {
        var what = step.IsCall ? "with_text" : "reply";
        try
        {
            var text = (step.IsCall ? step.WithText : step.Reply)?.Render(scope);
            if (!step.IsCall)
            {
                return MockAnswer.Reply(text!);
            }

            var calls = new List<(string, IReadOnlyDictionary<string, JsonElement>)>();
            foreach (var call in step.Calls)
            {
                what = $"arguments of '{call.Tool}'";
                calls.Add((call.Tool, call.Arguments.ToDictionary(a => a.Key, a => a.Value.Evaluate(scope), StringComparer.Ordinal)));
            }

            return MockAnswer.Call(calls, text);
        }
        catch (MissingValueException ex)
        {
            return missing(what, ex);
        }
    }

    private static MockAnswer Render(Template template, TemplateScope scope, MockScript script, string? agent, Turn turn, MockRule rule, MockStep step, string what)
    {
        try
        {
            return MockAnswer.Reply(template.Render(scope));
        }
        catch (MissingValueException missing)
        {
            throw Miss(script, agent, turn, rule, step.Line, MockReplies.MissingValue(what, missing));
        }
    }

    private static MockScriptMissException Miss(MockScript script, string? agent, Turn turn, MockRule? rule, int line, string problem) =>
        new(script.Name, agent, turn.User, turn.Step + 1, rule, line, problem);
}
