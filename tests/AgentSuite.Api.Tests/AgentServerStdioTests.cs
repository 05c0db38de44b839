using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Plugins.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>
/// <c>--mcp-stdio</c>: the built Api launched by an MCP client, serving its agents over real stdin and stdout to the
/// principal <c>AgentServer:Stdio</c> names, with the mock model and the real plugins.
/// </summary>
public sealed partial class AgentServerStdioTests
{
    private const string SmallRefund = "I was charged twice on INV-1002, please refund it";
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";

    [Fact]
    public async Task TheStdioCallerSeesOnlyTheAgentsItMayAskAndAskCoordinatorAnswersTheReplyOnceForAKey()
    {
        var settings = Settings();
        settings["AgentServer:Agents:billing:Roles:0"] = "user";
        settings["AgentServer:Agents:billing:Principals:0"] = "partner-agent";
        await using var api = await StdioApi.StartAsync(settings);

        Assert.Equal(["ask_coordinator"], (await api.Client.ListToolsAsync()).Select(t => t.Name));
        var arguments = new Dictionary<string, object?> { ["message"] = SmallRefund, ["idempotency_key"] = "refund-inv-1002" };
        var first = await api.Client.AskAsync(arguments);
        var again = await api.Client.AskAsync(arguments);

        Assert.False(first.IsError, first.Text);
        Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.", first.Text);
        Assert.Equal(first, again);
        var refused = await api.Client.AskAsync(new() { ["message"] = SmallRefund }, "ask_billing");
        Assert.Equal(("'desk-agent' may not ask the billing agent (AgentServer:Agents:billing names who may).", true), refused);
        Assert.Contains("Serving the agents over stdio to desk-agent (user); no HTTP", api.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAListenAddressTheStdioProcessServesThePageToo_AnApproverDecidesThereAndTheNextCallReturnsTheOutcome()
    {
        var settings = Settings();
        foreach (var (name, value) in DeskKeys.Settings())
        {
            settings[name] = value;
        }

        settings["urls"] = "http://127.0.0.1:0";
        await using var api = await StdioApi.StartAsync(settings);
        var baseAddress = await ListeningAddressAsync(api);

        var (text, isError) = await api.Client.AskAsync(new() { ["message"] = BigRefund, ["wait_seconds"] = 1 });
        var key = Regex.Match(text, @"idempotency_key (\S+) for the outcome").Groups[1].Value;
        var conversationId = Regex.Match(text, @"conversation_id (conv_\w+)").Groups[1].Value;
        var again = new Dictionary<string, object?> { ["message"] = BigRefund, ["conversation_id"] = conversationId, ["idempotency_key"] = key, ["wait_seconds"] = 1 };
        for (var attempt = 0; attempt < 60 && text.StartsWith("still running", StringComparison.Ordinal); attempt++)
        {
            (text, isError) = await api.Client.AskAsync(again);
        }

        Assert.False(isError, text);
        var approval = Regex.Match(text, @"^waiting for approval: (apr_\w+);").Groups[1].Value;
        Assert.True(approval.Length > 0, text);
        // With keys configured, naming oneself is not enough: no local process approves by sending X-User.
        using var anyone = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
        anyone.DefaultRequestHeaders.Add("X-User", "mallory");
        using var named = await anyone.PostAsJsonAsync($"/api/approvals/{approval}/decision", new { approve = true });
        Assert.Equal(HttpStatusCode.Unauthorized, named.StatusCode);
        using var bob = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
        bob.DefaultRequestHeaders.Add("X-Api-Key", DeskKeys.Bob);
        await bob.PostJsonAsync($"/api/approvals/{approval}/decision", new { approve = true, comment = "duplicate confirmed" });
        again["wait_seconds"] = 60;
        var outcome = await api.Client.AskAsync(again);

        Assert.False(outcome.IsError, outcome.Text);
        Assert.Matches(@"^Refunded 150\.00 USD for the duplicate charge CH-8 on INV-1006; the refund id is RF-\d+\.", outcome.Text);
        using var ops = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
        ops.DefaultRequestHeaders.Add("X-Api-Key", DeskKeys.Ops);
        var audit = (await ops.GetJsonAsync($"/api/audit?conversationId={conversationId}")).EnumerateArray().ToList();
        Assert.Contains(audit, e => e.GetProperty("kind").GetString() == "tool.decision" && e.GetProperty("tool").GetString() == "billing/issue_refund" && e.GetProperty("principal").GetString() == "desk-agent");
    }

    [Theory]
    [InlineData(null, null, "--mcp-stdio needs the principal its caller acts as (a stdio process has no keys): set AgentServer:Stdio:Principal")]
    [InlineData("desk-agent", "approver", "AgentServer:Stdio:Principal 'desk-agent' with the roles approver may ask none of the served agents (coordinator admits the roles user)")]
    [InlineData("desk-agent", "owner", "AgentServer:Stdio:Roles names 'owner', which is not a role; use user, approver, admin.")]
    public async Task ABadStdioCallerStopsTheStartWithTheKeyToSetAndNothingOnStdout(string? principal, string? role, string message)
    {
        var settings = Settings();
        settings.Remove("AgentServer:Stdio:Principal");
        settings.Remove("AgentServer:Stdio:Roles:0");
        if (principal is not null)
        {
            settings["AgentServer:Stdio:Principal"] = principal;
            settings["AgentServer:Stdio:Roles:0"] = role;
        }

        await AssertRefusedAsync(settings, message);
    }

    [Fact]
    public async Task StdioWithNoServedAgentStopsTheStartNamingAgentServerAgents()
    {
        var settings = Settings();
        settings.Remove("AgentServer:Agents:coordinator:Roles:0");

        await AssertRefusedAsync(settings, "--mcp-stdio serves the agents named in AgentServer:Agents, and none is named; add one, e.g. AgentServer:Agents:coordinator:Roles:0=user.");
    }

    [Theory]
    [InlineData("urls", "http://127.0.0.1:0", "(urls)")]
    [InlineData("Kestrel:Endpoints:page:Url", "http://127.0.0.1:0", "(Kestrel:Endpoints)")]
    public async Task StdioWithAListenAddressButNoKeysOrTokensStopsTheStartNamingAuthKeys(string listenKey, string address, string named)
    {
        var settings = Settings();
        settings[listenKey] = address;

        await AssertRefusedAsync(
            settings,
            $"--mcp-stdio with a listen address {named} serves the page, /api and /mcp, and no API keys (Auth:Keys) or bearer tokens (Auth:Jwt) are configured",
            "Configure keys, at least one for an approver (Auth:Keys:0:Key, Auth:Keys:0:Name, Auth:Keys:0:Roles:0=approver), or Auth:Jwt");
    }

    [Fact]
    public async Task StdoutCarriesOnlyMcpMessagesWhileEveryLogLineEvenAtTraceGoesToStderr()
    {
        var settings = Settings();
        settings["Logging:LogLevel:Default"] = "Trace";
        settings["Logging:LogLevel:Microsoft"] = "Trace";
        settings["Logging:LogLevel:ModelContextProtocol"] = "Trace";
        var dataFolder = StdioApi.NewDataFolder();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = StdioApi.ContentRoot,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in StdioApi.Arguments(settings, dataFolder))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = new List<string>();
        try
        {
            foreach (var message in new[]
            {
                """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""",
                """{"jsonrpc":"2.0","method":"notifications/initialized"}""",
                """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""",
                """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"ask_coordinator","arguments":{"message":""" + JsonSerializer.Serialize(SmallRefund) + "}}}",
            })
            {
                await process.StandardInput.WriteLineAsync(message);
            }

            await process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(Timeouts.Start);
            while (!stdout.Any(l => l.Contains("\"id\":3", StringComparison.Ordinal)))
            {
                stdout.Add(await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException($"stdout ended early. stderr:\n{await stderr}"));
            }

            // stdin closed: the session ends and the Api stops by itself.
            process.StandardInput.Close();
            stdout.AddRange((await process.StandardOutput.ReadToEndAsync(timeout.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            try
            {
                Directory.Delete(dataFolder, recursive: true);
            }
            catch (IOException)
            {
                // A plugin still exiting may hold its file a moment longer.
            }
        }

        var log = await stderr;
        Assert.Equal(0, process.ExitCode);
        Assert.All(stdout, line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal("2.0", json.RootElement.GetProperty("jsonrpc").GetString());
        });
        Assert.Contains(stdout, l => l.Contains("Refunded 49.00 USD", StringComparison.Ordinal));
        Assert.Contains("trce: ", log, StringComparison.Ordinal);
        Assert.Contains("Serving the agents over stdio to desk-agent", log, StringComparison.Ordinal);
    }

    /// <summary>The coordinator served to its roles, and the stdio caller: desk-agent, a user.</summary>
    private static Dictionary<string, string?> Settings() => new()
    {
        ["AgentServer:Agents:coordinator:Roles:0"] = "user",
        ["AgentServer:Stdio:Principal"] = "desk-agent",
        ["AgentServer:Stdio:Roles:0"] = "user",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:AgentSuite.Api"] = "Information",
    };

    /// <summary>Starts the built Api in stdio mode with <paramref name="settings"/> and checks that it refuses them: exit code 2, the messages on stderr, nothing on stdout.</summary>
    private static async Task AssertRefusedAsync(Dictionary<string, string?> settings, params string[] messages)
    {
        var dataFolder = StdioApi.NewDataFolder();
        try
        {
            var run = await CommandRun.RunAsync("dotnet", StdioApi.Arguments(settings, dataFolder), StdioApi.ContentRoot, Timeouts.Start);

            Assert.Equal(2, run.ExitCode);
            Assert.StartsWith("AgentSuite.Api did not start: ", run.Error, StringComparison.Ordinal);
            Assert.All(messages, m => Assert.Contains(m, run.Error, StringComparison.Ordinal));
            Assert.Equal("", run.Output);
        }
        finally
        {
            Directory.Delete(dataFolder, recursive: true);
        }
    }

    /// <summary>Where the process listens, as its log says once it has started (the settings asked for port 0).</summary>
    private static async Task<Uri> ListeningAddressAsync(StdioApi api)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < Timeouts.Start)
        {
            if (ListeningOn().Match(api.Stderr) is { Success: true } match)
            {
                return new Uri(match.Groups[1].Value);
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The stdio Api did not log where it listens. Its stderr:\n{api.Stderr}");
    }

    [GeneratedRegex(@"Listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
