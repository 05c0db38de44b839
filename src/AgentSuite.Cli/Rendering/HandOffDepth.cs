namespace AgentSuite.Cli.Rendering;

/// <summary>
/// How deep in the hand-off tree a call was made: a specialist's call ids carry the hand-off's id as a prefix
/// (<c>call_1/call_2</c>), so the number of segments is the depth (a root call is 1, none is 0).
/// </summary>
public static class HandOffDepth
{
    public static int Of(string? toolCallId) =>
        string.IsNullOrEmpty(toolCallId) ? 0 : toolCallId.Count(c => c == '/') + 1;

    /// <summary>Whether <paramref name="tool"/> is a hand-off to a specialist (<c>agents/ask_NAME</c>) rather than a tool server's tool.</summary>
    public static bool IsHandOff(string? tool) => tool?.StartsWith("agents/", StringComparison.Ordinal) == true;

    public static string Indent(int depth) => new(' ', 2 * Math.Max(depth, 0));
}
