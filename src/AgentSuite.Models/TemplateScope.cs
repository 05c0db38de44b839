using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentSuite.Models;

/// <summary>The values a template can use in one turn. <see cref="Focus"/> is the result <c>{{result}}</c> means.</summary>
internal sealed class TemplateScope(string agent, Turn turn, Match? match, ToolResult? focus)
{
    public ToolResult? Focus { get; } = focus ?? turn.LatestResult;

    public JsonElement Resolve(TemplateExpression expression)
    {
        var source = expression.Source;
        switch (expression.Root)
        {
            case "user":
                return JsonText.String(turn.User ?? "");
            case "agent":
                return JsonText.String(agent);
            case "error":
                var failed = Focus is { IsError: true } ? Focus : turn.Results.LastOrDefault(r => r.IsError);
                return failed is null
                    ? throw new MissingValueException(source, "no tool call has failed in this turn.")
                    : JsonText.String(failed.ErrorMessage!);
            case "match":
                var group = match?.Groups[expression.Path[0]];
                return group is { Success: true }
                    ? JsonText.String(group.Value)
                    : throw new MissingValueException(source, $"the group '{expression.Path[0]}' did not take part in the match.");
            case "result":
                return Focus is null
                    ? throw new MissingValueException(source, "no tool has returned a result in this turn yet.")
                    : JsonPath.Resolve(Focus.Content, expression.Path, "result", source);
            default:
                var tool = expression.Path[0];
                var latest = turn.LatestResultOf(tool)
                    ?? throw new MissingValueException(source, $"'{tool}' has not returned a result in this turn.");
                return JsonPath.Resolve(latest.Content, expression.Path.Skip(1).ToList(), $"results.{tool}", source);
        }
    }
}
