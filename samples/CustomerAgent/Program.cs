// A persistent customer-side agent against a running AgentSuite (samples/CustomerAgent/README.md):
//   dotnet run --project samples/CustomerAgent -- --url http://127.0.0.1:5080/mcp --key KEY [--attempts 50] [--spacing 1.2]
using CustomerAgent;

CustomerAgentOptions options;
try
{
    options = CustomerAgentOptions.Parse(args, Environment.GetEnvironmentVariable);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    await Console.Error.WriteLineAsync(CustomerAgentOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // Ctrl+C stops the run where it is (exit code 130); the Api keeps whatever turn it started.
    e.Cancel = true;
    stop.Cancel();
};

await using var agent = new PersistentAgent(options, Console.Out);
try
{
    return await agent.RunAsync(stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 130;
}
