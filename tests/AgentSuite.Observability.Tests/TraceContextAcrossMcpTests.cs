using System.Collections.Concurrent;
using System.Diagnostics;
using AgentSuite.Observability.Tests.Support;
using AgentSuite.Plugins.Tests.Support;
using ModelContextProtocol.Client;

namespace AgentSuite.Observability.Tests;

/// <summary>
/// A caller's trace continues inside the plugin server, over stdio and over Streamable HTTP: the MCP client puts the
/// trace context into the request's <c>_meta</c>, and the Policy server (started as its own process, exporting to a
/// loopback OTLP receiver) makes its span a child of the caller's.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TraceContextAcrossMcpTests
{
    private const string CallerName = "AgentSuite.Tests.Caller";

    private static readonly ActivitySource Caller = new(CallerName);

    [Fact]
    public async Task PolicyServerSpanOverStdioIsAChildOfTheCallersSpan()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var data = PluginData.NewDataFolder();
        try
        {
            var stderr = new ConcurrentQueue<string>();
            var transport = new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = "policy",
                Command = "dotnet",
                Arguments = [BuiltPlugins.DllPath(BuiltPlugins.Policy), "--data", Path.Combine(data, "policy.db")],
                EnvironmentVariables = receiver.Environment("policy"),
                ShutdownTimeout = TimeSpan.FromSeconds(10),
                StandardErrorLines = stderr.Enqueue,
            });

            await AssertPluginJoinsTheTraceAsync(receiver, () => McpClient.CreateAsync(transport, cancellationToken: Timeout()), "stdio");
        }
        finally
        {
            PluginData.DeleteDataFolder(data);
        }
    }

    [Fact]
    public async Task PolicyServerSpanOverHttpIsAChildOfTheCallersSpan()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var plugin = await HttpPlugin.StartAsync(BuiltPlugins.Policy, receiver.Environment("policy"));
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = plugin.McpUri, TransportMode = HttpTransportMode.StreamableHttp });

        var served = await AssertPluginJoinsTheTraceAsync(receiver, () => McpClient.CreateAsync(transport, cancellationToken: Timeout()), "HTTP");

        // The plugin's ASP.NET Core request span is exported too, named by its route as ASP.NET Core reports it (an
        // endpoint mapped at "" in the /mcp group reads /mcp/).
        static bool IsMcpPost(ExportedSpan x) => x.Service == "policy" && x.Name is "POST /mcp/" or "POST /mcp";
        await receiver.WaitForSpansAsync(s => s.Any(IsMcpPost), "the plugin's POST /mcp request span");
        Assert.Contains(receiver.Spans, s => IsMcpPost(s) && s.TraceId == served.TraceId);
    }

    private static async Task<ExportedSpan> AssertPluginJoinsTheTraceAsync(OtlpReceiver receiver, Func<Task<McpClient>> connect, string transport)
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is CallerName or "Experimental.ModelContextProtocol",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId traceId;
        await using (var client = await connect())
        {
            using var turn = Caller.StartActivity("caller turn")!;
            traceId = turn.TraceId;
            var result = await client.CallToolAsync(
                "check_refund",
                new Dictionary<string, object?> { ["amount"] = 49.00m, ["days_since_charge"] = 3, ["reason"] = "duplicate charge" },
                cancellationToken: Timeout());
            Assert.NotEqual(true, result.IsError);
        }

        var call = Assert.Single(stopped, a => a.DisplayName == "tools/call check_refund" && a.Kind == ActivityKind.Client);
        Assert.Equal(traceId, call.TraceId);

        var spans = await receiver.WaitForSpansAsync(s => s.Any(x => x.Service == "policy" && x.Name == "tools/call check_refund"), $"the policy server's tools/call span over {transport}");
        var served = Assert.Single(spans, s => s.Service == "policy" && s.Name == "tools/call check_refund");
        Assert.Equal(ExportedSpan.Server, served.Kind);
        Assert.Equal(traceId.ToHexString(), served.TraceId);
        Assert.Equal(call.SpanId.ToHexString(), served.ParentSpanId);
        return served;
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;
}
