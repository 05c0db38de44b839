using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentSuite.Models;

/// <summary>
/// Decides the mock's next answer from the script and the conversation alone: the first rule whose pattern matches the
/// latest user message, then the step numbered by the model calls already made since it, after checking the previous
/// call step's results for a denial or a failure.
/// </summary>
internal static class ScriptRunner
{
    public static MockAnswer Decide(MockScript script, string? agent, Turn turn, IReadOnlySet<string> offered)
    {
        if (turn.User is null)
        {
            return MockAnswer.Reply(MockReplies.NoUserMessage(agent));
        }

        MockRule? rule = null;
        Match? match = null;
        foreach (var candidate in script.RulesFor(agent))
        {
            try
            {
                match = candidate.When?.Match(turn.User);
            }
            catch (RegexMatchTimeoutException)
            {
                return MockAnswer.Reply(MockReplies.PatternTimedOut(candidate));
            }

            if (match is null or { Success: true })
            {
                rule = candidate;
                break;
            }
        }

        if (rule is null)
        {
            return MockAnswer.Reply(MockReplies.Unscripted(agent));
        }

        var problem = turn.LatestStepResults.FirstOrDefault(r => r.IsDenied) ?? turn.LatestStepResults.FirstOrDefault(r => r.IsError);
        if (problem is not null && turn.Step > 0 && turn.Step <= rule.Steps.Count && rule.Steps[turn.Step - 1] is { IsCall: true } previous)
        {
            var handler = problem.IsDenied ? previous.OnDenied : previous.OnError;
            return handler is null
                ? MockAnswer.Reply(problem.IsDenied ? MockReplies.Denied(problem) : MockReplies.Failed(problem))
                : Render(handler, new TemplateScope(agent ?? "", turn, match, problem), rule, previous, problem.IsDenied ? "on_denied" : "on_error");
        }

        if (turn.Step >= rule.Steps.Count)
        {
            return MockAnswer.Reply(MockReplies.OutOfSteps(agent, rule, turn.Step));
        }

        var step = rule.Steps[turn.Step];
        var scope = new TemplateScope(agent ?? "", turn, match, null);
        if (!step.IsCall)
        {
            return Render(step.Reply!, scope, rule, step, "reply");
        }

        // A model can only call tools when it is offered some; with 'even_if_not_offered' it may name one it was not given.
        var notOffered = step.Calls.Select(c => c.Tool).Where(t => !offered.Contains(t)).Distinct(StringComparer.Ordinal).ToList();
        if (notOffered.Count > 0 && !(step.EvenIfNotOffered && offered.Count > 0))
        {
            return MockAnswer.Reply(MockReplies.NotOffered(agent, notOffered, offered.Order(StringComparer.Ordinal).ToList()));
        }

        var calls = new List<(string, IReadOnlyDictionary<string, JsonElement>)>();
        foreach (var call in step.Calls)
        {
            try
            {
                calls.Add((call.Tool, call.Arguments.ToDictionary(a => a.Key, a => a.Value.Evaluate(scope), StringComparer.Ordinal)));
            }
            catch (MissingValueException missing)
            {
                return MockAnswer.Reply(MockReplies.MissingValue(rule, step, $"arguments of '{call.Tool}'", missing));
            }
        }

        return MockAnswer.Call(calls);
    }

    private static MockAnswer Render(Template template, TemplateScope scope, MockRule rule, MockStep step, string what)
    {
        try
        {
            return MockAnswer.Reply(template.Render(scope));
        }
        catch (MissingValueException missing)
        {
            return MockAnswer.Reply(MockReplies.MissingValue(rule, step, what, missing));
        }
    }
}
