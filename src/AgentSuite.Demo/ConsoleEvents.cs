using AgentSuite.Governance;

namespace AgentSuite.Demo;

/// <summary>Prints governance events as they happen, the way the web page will stream them.</summary>
internal sealed class ConsoleEvents(Action<GovernanceEvent>? onEvent = null) : IGovernanceEventSink
{
    public void Publish(GovernanceEvent e)
    {
        var color = e.Decision switch
        {
            "denied" or "failed" or "timed_out" => ConsoleColor.Red,
            "allowed" or "completed" or "approved" or "replayed" => ConsoleColor.Green,
            _ => ConsoleColor.DarkGray,
        };
        Console.ForegroundColor = color;
        Console.WriteLine($"    {e.Type,-18} {e.Agent,-8} {e.Tool,-22} {e.Decision}{(e.Reason is null ? "" : " - " + e.Reason)}");
        Console.ResetColor();
        onEvent?.Invoke(e);
    }
}
