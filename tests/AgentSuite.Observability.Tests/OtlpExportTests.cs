using AgentSuite.Api.Tests.Support;
using AgentSuite.Observability.Tests.Support;
using AgentSuite.Plugins.Tests.Support;
using ModelContextProtocol.Client;

namespace AgentSuite.Observability.Tests;

/// <summary>
/// The real Api and the three real plugin servers (over stdio, started by the Api) export to a loopback OTLP/HTTP
/// receiver, configured only through the <c>OTEL_*</c> settings an operator (or Aspire) sets.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpExportTests
{
    private const string Api = "agentsuite-api";
    private const string TurnRequest = "POST /api/conversations/{id}/messages";

    [Fact]
    public async Task RefundTurnIsOneTraceFromTheApiRequestThroughTheAgentsToEachPluginServer()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var data = PluginData.NewDataFolder();
        try
        {
            await using var api = await ApiServer.StartAsync(Settings(receiver, data));
            using var alice = api.Client("alice");
            using (var health = await alice.GetAsync("/health"))
            {
                health.EnsureSuccessStatusCode();
            }

            var reply = await RefundTurn.RunAsync(alice);
            Assert.StartsWith("Refunded 49.00 USD", reply, StringComparison.Ordinal);

            // Each process exports on its own schedule: wait for the Api's request span and every plugin's span of the turn.
            var spans = await receiver.WaitForSpansAsync(
                s => s.Any(x => x.Service == Api && x.Name == TurnRequest)
                    && s.Any(x => x.Service == "billing" && x.Name == "tools/call get_invoice")
                    && s.Any(x => x.Service == "policy" && x.Name == "tools/call check_refund")
                    && s.Any(x => x.Service == "billing" && x.Name == "tools/call issue_refund"),
                "the turn's request span from the Api and each plugin server's span of the turn");

            var request = Assert.Single(spans, s => s.Service == Api && s.Name == TurnRequest);
            Assert.Equal(("Microsoft.AspNetCore", ExportedSpan.Server), (request.Scope, request.Kind));
            Assert.Equal("/api/conversations/{id}/messages", request.Attributes["http.route"]);
            Assert.Equal("200", request.Attributes["http.response.status_code"]);
            var turn = spans.Where(s => s.TraceId == request.TraceId).ToList();

            // The agents' GenAI spans, from the AgentSuite source.
            Assert.Contains(turn, s => s.Service == Api && s.Scope == "AgentSuite" && s.Name == "invoke_agent coordinator");
            Assert.Contains(turn, s => s.Service == Api && s.Scope == "AgentSuite" && s.Name == "invoke_agent billing");
            Assert.Contains(turn, s => s.Service == Api && s.Scope == "AgentSuite" && s.Name.StartsWith("chat", StringComparison.Ordinal));

            // Each plugin server's own span is a child of the Api's MCP client span for that call: one trace across processes.
            foreach (var (server, tool) in new[] { ("billing", "get_invoice"), ("policy", "check_refund"), ("billing", "issue_refund") })
            {
                var served = Assert.Single(turn, s => s.Service == server && s.Name == $"tools/call {tool}");
                Assert.Equal(("Experimental.ModelContextProtocol", ExportedSpan.Server), (served.Scope, served.Kind));
                var caller = Assert.Single(turn, s => s.SpanId == served.ParentSpanId);
                Assert.Equal(Api, caller.Service);
                Assert.Equal("tools/call", caller.Attributes["mcp.method.name"]);

                // MCP SDK 2.3.1 puts its client attributes on the GenAI span when one is current instead of starting tools/call.
                Assert.Contains(caller.Name, new[] { $"execute_tool {server}/{tool}", $"tools/call {tool}" });
            }

            // The Api's own MCP client spans (connecting, listing tools) come from the SDK's source.
            Assert.Contains(spans, s => s.Service == Api && s.Scope == "Experimental.ModelContextProtocol" && s.Kind == ExportedSpan.Client);

            // Health probes are not traced.
            Assert.DoesNotContain(spans, s => s.Name.Contains("/health", StringComparison.Ordinal) || s.Name.Contains("/alive", StringComparison.Ordinal));

            // Metrics and logs go the same way, each to its own signal path.
            await receiver.WaitForMetricsAsync(
                m => m.Any(x => x.Service == Api && x.Name == "http.server.request.duration") && m.Any(x => x.Service == Api && x.Scope == "AgentSuite"),
                "the Api's request duration and the AgentSuite meter's metrics");
            await receiver.WaitForLogsAsync(l => l.Any(x => x.Service == Api && x.Category == "AgentSuite.Api"), "the Api's start-up warning");
            Assert.Contains("/v1/traces application/x-protobuf", receiver.Requests);
            Assert.Contains("/v1/metrics application/x-protobuf", receiver.Requests);
            Assert.Contains("/v1/logs application/x-protobuf", receiver.Requests);
        }
        finally
        {
            PluginData.DeleteDataFolder(data);
        }
    }

    [Fact]
    public async Task PluginExportsOverGrpcWithTheVariablesAspireSets()
    {
        await using var receiver = await OtlpReceiver.StartAsync(grpc: true);
        var data = PluginData.NewDataFolder();
        try
        {
            var environment = receiver.Environment("policy");
            environment["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=policy-1";
            var transport = new StdioClientTransport(new StdioClientTransportOptions
            {
                Command = "dotnet",
                Arguments = [BuiltPlugins.DllPath(BuiltPlugins.Policy), "--data", Path.Combine(data, "policy.db")],
                EnvironmentVariables = environment,
                ShutdownTimeout = TimeSpan.FromSeconds(10),
            });
            await using (var client = await McpClient.CreateAsync(transport))
            {
                await client.CallToolAsync("get_refund_policy");
            }

            await receiver.WaitForSpansAsync(s => s.Any(x => x.Service == "policy" && x.Name == "tools/call get_refund_policy"), "the policy server's span over gRPC");
            Assert.All(receiver.Requests, r => Assert.EndsWith("/Export application/grpc", r, StringComparison.Ordinal));
        }
        finally
        {
            PluginData.DeleteDataFolder(data);
        }
    }

    /// <summary>The Api's OTLP settings, and the three plugins configured by hand so each gets its own OTLP variables.</summary>
    private static Dictionary<string, string?> Settings(OtlpReceiver receiver, string data)
    {
        var settings = receiver.Environment(Api);
        foreach (var (server, plugin) in new[] { ("billing", BuiltPlugins.Billing), ("crm", BuiltPlugins.Crm), ("policy", BuiltPlugins.Policy) })
        {
            settings[$"Mcp:Servers:{server}:Command"] = "dotnet";
            settings[$"Mcp:Servers:{server}:Arguments:0"] = BuiltPlugins.DllPath(plugin);
            settings[$"Mcp:Servers:{server}:Arguments:1"] = "--data";
            settings[$"Mcp:Servers:{server}:Arguments:2"] = Path.Combine(data, server + ".db");
            foreach (var (key, value) in receiver.Environment(server))
            {
                settings[$"Mcp:Servers:{server}:Environment:{key}"] = value;
            }
        }

        return settings;
    }
}
