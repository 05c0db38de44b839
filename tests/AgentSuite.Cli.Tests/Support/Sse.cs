using System.Text;

namespace AgentSuite.Cli.Tests.Support;

/// <summary>Builds a canned <c>text/event-stream</c> body the way the Api writes one.</summary>
public static class Sse
{
    public static string Stream(params string[] events) => string.Concat(events);

    public static string Event(long seq, string type, string json) =>
        $"event: {type}\nid: {seq}\ndata: {json}\n\n";

    public const string KeepAlive = ": keep-alive\n\n";

    public static MemoryStream AsStream(string text) => new(Encoding.UTF8.GetBytes(text));
}
