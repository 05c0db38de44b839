using System.Text.Json;
using AgentSuite.Governance;
using AgentSuite.Governance.Audit;
using AgentSuite.Plugins.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AgentSuite.Mcp.Tests;

/// <summary>The catalog with the app's own transports against the real plugin servers: real stdio and real HTTP.</summary>
public sealed class RealServerTests
{
    private static Dictionary<string, object?> Args(params (string Name, object Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => (object?)JsonSerializer.SerializeToElement(p.Value));

    private static Dictionary<string, string?> Stdio(string server, string plugin, TempDataFile data) => new()
    {
        [$"Mcp:Servers:{server}:Command"] = "dotnet",
        [$"Mcp:Servers:{server}:Arguments:0"] = BuiltPlugins.DllPath(plugin),
        [$"Mcp:Servers:{server}:Arguments:1"] = "--data",
        [$"Mcp:Servers:{server}:Arguments:2"] = data.Path,
    };

    [Fact]
    public async Task GovernedRefundOverStdioPaysOnceEvenWhenTheServerIsKilledBetweenRetries()
    {
        var data = new TempDataFile();
        await using (var h = new McpHarness(realServers: Stdio("billing", BuiltPlugins.Billing, data)))
        {
            var refund = await h.ToolAsync("issue_refund");
            Assert.Equal("billing_issue_refund", refund.Name);
            Assert.True(refund.Descriptor.Annotations.IsDestructive);
            var args = Args(("invoice_id", "INV-1002"), ("charge_id", "CH-2"), ("amount", 49.00m), ("reason", "duplicate charge"), ("idempotency_key", "conv-1/refund-ch2"));

            var paid = await McpHarness.CallAsync(refund, "c1", args).WaitAsync(Timeouts.Call);
            Assert.True(paid.Status == ToolCallStatus.Completed, paid.ToString());

            Assert.Equal(1, PluginProcesses.KillServerUsing(data.Path));

            // The model retries the same refund in a new tool call; the server process is gone and comes back.
            var retry = await McpHarness.CallAsync(refund, "c2", args, run: "run-2").WaitAsync(Timeouts.Call);
            Assert.Equal(ToolCallStatus.Replayed, retry.Status);

            var lookup = await h.ToolAsync("get_invoice");
            ToolCallOutcome afterRestart;
            var attempt = 0;
            do
            {
                afterRestart = await McpHarness.CallAsync(lookup, "l" + attempt, Args(("invoice_id", "INV-1002"))).WaitAsync(Timeouts.Call);
            }
            while (afterRestart.Status != ToolCallStatus.Completed && ++attempt < 3);

            Assert.True(afterRestart.Status == ToolCallStatus.Completed, afterRestart.ToString());
            Assert.Equal(2, h.Catalog.Connection("billing").Connects);
            var audit = h.Services.GetRequiredService<IAuditStore>();
            Assert.True((await AuditVerifier.VerifyAsync(audit)).Ok);
            Assert.Contains(await h.AuditAsync(), r => r.Entry.ToolCallId == "c1" && r.Entry.Kind == "tool.completed");
        }

        Assert.Equal(1, RefundsPaid(data.Path));
        data.Delete();
    }

    [Fact]
    public async Task GovernedCallOverStreamableHttpReachesTheServer()
    {
        await using var server = await HttpPlugin.StartAsync(BuiltPlugins.Policy);
        await using var h = new McpHarness(realServers: new Dictionary<string, string?> { ["Mcp:Servers:policy:Url"] = server.McpUri.ToString() });

        var check = await h.ToolAsync("check_refund", server: "policy");
        var outcome = await McpHarness.CallAsync(check, "c1", Args(("amount", 150m), ("days_since_charge", 3), ("reason", "duplicate charge"))).WaitAsync(Timeouts.Call);

        Assert.True(check.Descriptor.Annotations.IsReadOnly);
        Assert.Equal(ToolCallStatus.Completed, outcome.Status);
        Assert.Contains("second_person", ((JsonElement)outcome.Result!).GetProperty("content").GetRawText(), StringComparison.Ordinal);
    }

    private static long RefundsPaid(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM refunds WHERE idempotency_key = 'conv-1/refund-ch2'";
        var count = (long)command.ExecuteScalar()!;
        SqliteConnection.ClearAllPools();
        return count;
    }
}
