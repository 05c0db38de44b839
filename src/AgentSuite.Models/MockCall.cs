namespace AgentSuite.Models;

/// <summary>A scripted tool call: the model-facing tool name and its templated arguments, in script order.</summary>
internal sealed record MockCall(string Tool, IReadOnlyList<KeyValuePair<string, ArgumentTemplate>> Arguments, int Line);
