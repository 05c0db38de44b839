using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;

namespace AgentSuite.Benchmarks;

/// <summary>
/// A full, blocking collection in another .NET process, through its diagnostics port: an EventPipe session that enables
/// the runtime provider's GCHeapCollect keyword makes the runtime collect before the session starts (as dotnet-gcdump does).
/// </summary>
internal static class InducedCollection
{
    private const long GCHeapCollectKeyword = 0x800000;

    public static async Task RunAsync(int pid)
    {
        var client = new DiagnosticsClient(pid);
        var provider = new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GCHeapCollectKeyword);
        using var session = await client.StartEventPipeSessionAsync([provider], requestRundown: false, circularBufferMB: 4, CancellationToken.None);
        var drained = session.EventStream.CopyToAsync(Stream.Null);
        await session.StopAsync(CancellationToken.None);
        await drained;
    }
}
