using System.Net;
using System.Text.Json;

namespace AgentSuite.Benchmarks;

/// <summary>
/// The front door under many external agents: the Api as its own process serving the coordinator at /mcp, each agent
/// an MCP client with its own key. Phases, each after the warm-up: the HTTP API baseline and the front door with the
/// same fresh requests from every agent at once, one persistent agent alone, then every agent persistent (keys,
/// retries, a reused key). Billing's own file is read at the end.
/// </summary>
internal sealed class FrontDoorBenchmark(int agents, TimeSpan warmup, TimeSpan duration)
{
    public async Task<FrontDoorResult> RunAsync(string dataFolder)
    {
        var keys = FrontDoorSettings.NewAgentKeys(agents);
        var operatorKey = FrontDoorSettings.NewOperatorKey();
        using var poller = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        await using var api = ApiProcess.Start(dataFolder, limitsOff: true, FrontDoorSettings.For(keys, operatorKey), FrontDoorSettings.Environment());
        await api.WaitUntilHealthyAsync(poller, TimeSpan.FromMilliseconds(25), TimeSpan.FromSeconds(60));
        var plugins = LeftoverProcesses.Find(api.DataFolder).Select(p => p.Pid).Where(pid => pid != api.Pid).ToList();

        var mcp = await Task.WhenAll(keys.Select((key, i) => FrontDoorMcpAgent.ConnectAsync(api.BaseAddress, key, i)));
        try
        {
            using var http = NewHttpClient(api.BaseAddress);
            var viaHttp = keys.Select((key, i) => (IFrontDoorAgent)new FrontDoorHttpAgent(http, key, i)).ToList();
            var book = new RefundBook();

            var warm = new FrontDoorTally();
            await WarmAsync("warm-http", viaHttp, FrontDoorMix.Fresh, warm, book);
            await WarmAsync("warm-fresh", mcp, FrontDoorMix.Fresh, warm, book);
            await WarmAsync("warm-persistent", mcp, FrontDoorMix.Persistent, warm, book);

            var viaHttpResult = await FrontDoorPhase.RunAsync("http", viaHttp, FrontDoorMix.Fresh, duration, book, api.Pid, plugins);
            var fresh = await FrontDoorPhase.RunAsync("fresh", mcp, FrontDoorMix.Fresh, duration, book, api.Pid, plugins);
            var one = await FrontDoorPhase.RunAsync("one", [mcp[0]], FrontDoorMix.Persistent, duration, book, api.Pid, plugins);
            var persistent = await FrontDoorPhase.RunAsync("persistent", mcp, FrontDoorMix.Persistent, duration, book, api.Pid, plugins);

            var ledger = BillingLedger.Read(Path.Combine(dataFolder, "billing.db"));
            var audit = await VerifyAuditAsync(http, operatorKey);
            return new FrontDoorResult(viaHttpResult, fresh, one, persistent, warm, ledger, book, audit);
        }
        finally
        {
            foreach (var agent in mcp)
            {
                await agent.DisposeAsync();
            }
        }
    }

    private async Task WarmAsync(string phase, IReadOnlyList<IFrontDoorAgent> callers, FrontDoorMix mix, FrontDoorTally tally, RefundBook book)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(callers.Select(a => Task.Run(() => a.RunAsync(phase, mix, () => clock.Elapsed < warmup, tally, book))));
    }

    private static HttpClient NewHttpClient(Uri baseAddress) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 256,
        UseCookies = false,
        UseProxy = false,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(90),
    };

    private static async Task<(bool Ok, long Count, string? Problem)> VerifyAuditAsync(HttpClient http, string operatorKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/audit/verify");
        request.Headers.Add("X-Api-Key", operatorKey);
        using var response = await http.SendAsync(request);
        return await ApiTurnClient.ReadVerificationAsync(response);
    }
}
