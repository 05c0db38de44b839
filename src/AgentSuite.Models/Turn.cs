using Microsoft.Extensions.AI;

namespace AgentSuite.Models;

/// <summary>
/// Where one agent's conversation stands, read only from the messages: the latest user message, how many model calls
/// have answered it so far (the step to take), and the tool results since.
/// </summary>
internal sealed class Turn
{
    private Turn(string? user, int step, IReadOnlyList<ToolResult> results, IReadOnlyList<ToolResult> latestStep, int callsSoFar)
    {
        User = user;
        Step = step;
        Results = results;
        LatestStepResults = latestStep;
        CallsSoFar = callsSoFar;
    }

    /// <summary>The text of the latest user message; null when there is none.</summary>
    public string? User { get; }

    /// <summary>The 0-based step to take: the number of assistant messages after the latest user message.</summary>
    public int Step { get; }

    /// <summary>Every tool result after the latest user message, oldest first.</summary>
    public IReadOnlyList<ToolResult> Results { get; }

    /// <summary>The results that answer the latest assistant message's calls.</summary>
    public IReadOnlyList<ToolResult> LatestStepResults { get; }

    /// <summary>Function calls in the whole conversation, so new call ids continue the numbering.</summary>
    public int CallsSoFar { get; }

    public ToolResult? LatestResult => Results.Count == 0 ? null : Results[^1];

    public ToolResult? LatestResultOf(string tool) => Results.LastOrDefault(r => r.Tool == tool);

    public static Turn Read(IReadOnlyList<ChatMessage> messages)
    {
        var userIndex = -1;
        var callsSoFar = 0;
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Role == ChatRole.User)
            {
                userIndex = i;
            }

            foreach (var call in messages[i].Contents.OfType<FunctionCallContent>())
            {
                callsSoFar++;
                toolNames[call.CallId] = call.Name;
            }
        }

        var step = 0;
        var results = new List<ToolResult>();
        var latestStepStart = 0;
        for (var i = userIndex + 1; userIndex >= 0 && i < messages.Count; i++)
        {
            if (messages[i].Role == ChatRole.Assistant)
            {
                step++;
                latestStepStart = results.Count;
            }

            foreach (var result in messages[i].Contents.OfType<FunctionResultContent>())
            {
                results.Add(ToolResult.From(result, toolNames.GetValueOrDefault(result.CallId)));
            }
        }

        var user = userIndex >= 0 ? messages[userIndex].Text : null;
        return new Turn(user, step, results, results[latestStepStart..], callsSoFar);
    }
}
