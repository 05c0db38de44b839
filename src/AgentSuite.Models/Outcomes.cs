namespace AgentSuite.Models;

/// <summary>The outcome kinds of a tool call that recordings keep and replays compare; the result's content may differ between runs.</summary>
internal static class Outcomes
{
    public const string Ok = "ok";
    public const string Denied = "denied";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Ok, Denied, Failed];
}
