namespace AgentSuite.Benchmarks;

/// <summary>
/// A full mock-model refund turn (coordinator, hand-off to billing, get_invoice, check_refund, issue_refund) with billing
/// in the coordinator's process, and with billing as its own Api reached over MCP (<c>Agents:Remote:billing</c>, a key
/// holding the delegate role). Three Apis in this process on loopback, each with its own plugin servers; the two kinds
/// of turn alternate, one at a time, so both see the same machine.
/// </summary>
internal sealed class RemoteHandOffBenchmark(int warmup, int turns)
{
    private const string DelegateKey = "bench-coordinator-key-0123456789";

    public async Task<(LatencySummary InProcess, LatencySummary Remote)> RunAsync(TempFolder folder)
    {
        await using var local = await InProcessApi.StartAsync(folder.NewFolder("remote-in-process"), limitsOff: true);
        await using var billing = await InProcessApi.StartAsync(folder.NewFolder("remote-billing"), limitsOff: true, new Dictionary<string, string?>
        {
            ["Auth:Keys:0:Key"] = DelegateKey,
            ["Auth:Keys:0:Name"] = "coordinator",
            ["Auth:Keys:0:Roles:0"] = "user",
            ["Auth:Keys:0:Roles:1"] = "delegate",
            ["AgentServer:Agents:billing:Roles:0"] = "user",
        });
        await using var coordinator = await InProcessApi.StartAsync(folder.NewFolder("remote-coordinator"), limitsOff: true, new Dictionary<string, string?>
        {
            ["Agents:Remote:billing:Url"] = new Uri(billing.BaseAddress, "/mcp").ToString(),
            ["Agents:Remote:billing:ApiKey"] = DelegateKey,
        });
        using var inProcessClient = new ApiTurnClient(local.BaseAddress, connections: 1);
        using var remoteClient = new ApiTurnClient(coordinator.BaseAddress, connections: 1);
        for (var i = 0; i < warmup; i++)
        {
            await inProcessClient.TurnAsync();
            await remoteClient.TurnAsync();
        }

        var inProcess = new long[turns];
        var remote = new long[turns];
        for (var i = 0; i < turns; i++)
        {
            inProcess[i] = await inProcessClient.TurnAsync();
            remote[i] = await remoteClient.TurnAsync();
        }

        return (LatencySummary.From(inProcess), LatencySummary.From(remote));
    }
}
