using AgentSuite.Governance;
using Microsoft.Extensions.AI;

namespace AgentSuite.Agents.Kernels;

/// <summary>
/// The one call governance has just allowed, flowing to the function it allows and to nothing else: a kernel's tools
/// run only when the governance filter's last step names them, so any path around the filter (a manual
/// <c>kernel.InvokeAsync</c>, a request through the pipeline without the agent's kernel) fails instead of acting.
/// </summary>
internal static class GovernedCall
{
    private static readonly AsyncLocal<Allowed?> Current = new();

    public static IDisposable Enter(AgentRunContext run, string callId, AIFunction tool, ToolCallContext? context = null)
    {
        var previous = Current.Value;
        Current.Value = new Allowed(run, callId, tool) { Context = context };
        return new Restore(previous);
    }

    public static bool IsAllowed(AIFunction tool) => Current.Value is { } allowed && ReferenceEquals(allowed.Tool, tool);

    /// <summary>The allowed call if it is for <paramref name="tool"/>, which takes it: nothing the tool starts (a hand-off's specialist) inherits it.</summary>
    public static Allowed? Take(AIFunction tool)
    {
        if (Current.Value is { } allowed && ReferenceEquals(allowed.Tool, tool))
        {
            Current.Value = null;
            return allowed;
        }

        return null;
    }

    public sealed record Allowed(AgentRunContext Run, string CallId, AIFunction Tool)
    {
        /// <summary>The call as governance holds it, for a tool that adds facts to its audit entry (a remote hand-off's remote ids).</summary>
        public ToolCallContext? Context { get; init; }
    }

    private sealed class Restore(Allowed? previous) : IDisposable
    {
        public void Dispose() => Current.Value = previous;
    }
}
