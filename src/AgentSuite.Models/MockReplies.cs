namespace AgentSuite.Models;

/// <summary>
/// The mock's words when the script does not say what to do: the replies a conversation gets about a denied or failed
/// call, and the problems a <see cref="MockScriptMissException"/> (or a replay's divergence) reports to the developer,
/// each saying what to change.
/// </summary>
internal static class MockReplies
{
    public const string Guide = "docs/mock-model.md";

    /// <summary>How an agent is named in messages; a call without the agent property still gets a message that says so.</summary>
    public static string AgentLabel(string? agent) =>
        agent is null ? $"no agent named in ChatOptions.AdditionalProperties[\"{MockChatClient.AgentPropertyKey}\"]" : $"agent '{agent}'";

    public static string Unscripted(string? agent) => agent is null
        ? "the request names no agent, so no rule applies. The agent loop names it in ChatOptions.AdditionalProperties; over the OpenAI protocol it is the 'name' of the first system message " +
          $"({Guide})."
        : $"no rule matches this message. Add a rule for it under 'agents: {agent}:' (or '\"*\":' for every agent) in the mock script: a 'when' pattern that matches it and the steps to take ({Guide}).";

    public static string NoUserMessage() =>
        $"the request has no user message, and every rule answers one ({Guide}).";

    public static string PatternTimedOut(MockRule rule) =>
        $"the 'when' pattern of {rule.Label} took too long on this message. Simplify the pattern ({Guide}).";

    public static string NotOffered(string? agent, IReadOnlyCollection<string> missing, IReadOnlyCollection<string> offered) =>
        $"the step calls {string.Join(" and ", missing.Select(t => $"'{t}'"))}, which {(missing.Count == 1 ? "is" : "are")} not offered to {AgentLabel(agent)} here " +
        (offered.Count == 0 ? "(no tools were offered)" : $"(offered: {string.Join(", ", offered)})") +
        $". Offer the tool to the agent (its prompt's servers, its allow-list), or add 'even_if_not_offered: true' to the step so that governance denies the call ({Guide}).";

    public static string Denied(ToolResult result) =>
        $"I could not do this: the call to '{result.Tool}' was denied{(result.DenialStage is { } stage ? $" ({stage})" : "")}: {result.DenialReason}";

    public static string Failed(ToolResult result) =>
        $"I could not do this: the call to '{result.Tool}' failed: {result.ErrorMessage}";

    public static string OutOfSteps(MockRule rule, int step) =>
        $"the rule has no step {step + 1}: it has {rule.Steps.Count}. End the rule with a 'reply' step ({Guide}).";

    public static string MissingValue(string what, MissingValueException missing) =>
        $"{{{{{missing.Expression}}}}} in the {what} of the step has no value: {missing.Why} " +
        $"Fix the script, or give the value a fallback with '| default: TEXT' ({Guide}).";
}
