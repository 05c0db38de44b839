namespace AgentSuite.Models;

/// <summary>The mock's honest answers when the script does not say what to do; each tells a person what to change.</summary>
internal static class MockReplies
{
    public const string Guide = "docs/mock-model.md";

    /// <summary>How an agent is named in replies; a call without the agent property still gets an answer that says so.</summary>
    public static string AgentLabel(string? agent) =>
        agent is null ? $"no agent named in ChatOptions.AdditionalProperties[\"{MockChatClient.AgentPropertyKey}\"]" : $"agent '{agent}'";

    public static string Unscripted(string? agent) =>
        $"The mock model has no script for this message ({AgentLabel(agent)}). Add one to the mock script ({Guide}).";

    public static string NoUserMessage(string? agent) =>
        $"The mock model was given no user message to answer ({AgentLabel(agent)}), so it has nothing to say.";

    public static string PatternTimedOut(MockRule rule) =>
        $"The mock model could not match this message: the 'when' pattern of {rule.Label} took too long. Simplify the pattern ({Guide}).";

    public static string NotOffered(string? agent, IReadOnlyCollection<string> missing, IReadOnlyCollection<string> offered) =>
        $"I cannot do this: the mock script calls {string.Join(" and ", missing.Select(t => $"'{t}'"))}, which {(missing.Count == 1 ? "is" : "are")} not available to {AgentLabel(agent)} here " +
        (offered.Count == 0 ? "(no tools were offered)." : $"(offered: {string.Join(", ", offered)}).");

    public static string Denied(ToolResult result) =>
        $"I could not do this: the call to '{result.Tool}' was denied{(result.DenialStage is { } stage ? $" ({stage})" : "")}: {result.DenialReason}";

    public static string Failed(ToolResult result) =>
        $"I could not do this: the call to '{result.Tool}' failed: {result.ErrorMessage}";

    public static string OutOfSteps(string? agent, MockRule rule, int step) =>
        $"The mock script has no step {step + 1} for {AgentLabel(agent)} in {rule.Label}: it has {rule.Steps.Count}. End the rule with a 'reply' step ({Guide}).";

    public static string MissingValue(MockRule rule, MockStep step, string what, MissingValueException missing) =>
        $"The mock script refers to a missing value: {{{{{missing.Expression}}}}} in the {what} of the step at line {step.Line} ({rule.Label}) has no value: {missing.Why} " +
        $"Fix the script, or give the value a fallback with '| default: TEXT' ({Guide}).";
}
