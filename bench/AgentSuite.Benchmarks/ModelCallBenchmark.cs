using System.Diagnostics;
using System.Text.Json;
using AgentSuite.Models;
using Microsoft.Extensions.AI;

namespace AgentSuite.Benchmarks;

/// <summary>
/// One model call, the billing agent's first step of the demo refund, streamed as the agent runtime streams it: through
/// the OpenAI-compatible provider the Api wires (<see cref="ApiModelClient"/>) to the mock model server (its own
/// process, over HTTP on loopback) against the same mock in process. Interleaved call by call, so both paths see the same machine noise; the difference is what the protocol
/// (serialising, HTTP, SSE, parsing) costs per model call.
/// </summary>
internal static class ModelCallBenchmark
{
    public static async Task<(LatencySummary InProcess, LatencySummary OverHttp)> RunAsync(TempFolder folder, int warmup, int timed)
    {
        var port = FreePort.NewLoopbackAddress();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(BuiltPlugins.DllPath("AgentSuite.MockModelServer"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(port.ToString().TrimEnd('/'));
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var server = Process.Start(start) ?? throw new InvalidOperationException("The mock model server did not start.");
        server.OutputDataReceived += (_, _) => { };
        server.ErrorDataReceived += (_, _) => { };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            await WaitHealthyAsync(new Uri(port, "/health"));
            using var local = new MockChatClient(MockScript.Load(MockScript.DemoPath));
            await using var provider = ApiModelClient.For(new Uri(port, "/v1"), MockChatClient.ModelId, folder.NewFolder("model-api"));
            var remote = provider.Client;
            var messages = new List<ChatMessage>
            {
                new(ChatRole.System, "You are the billing specialist.") { AuthorName = "billing" },
                new(ChatRole.User, "I was charged twice on INV-1002, please refund it"),
            };
            var options = new ChatOptions
            {
                Temperature = 0,
                MaxOutputTokens = 800,
                AdditionalProperties = new() { [MockChatClient.AgentPropertyKey] = "billing" },
                Tools = [.. new[] { "billing_get_invoice", "policy_check_refund", "billing_issue_refund" }.Select(name =>
                    AIFunctionFactory.CreateDeclaration(name, "A billing tool.", JsonDocument.Parse("""{"type":"object","properties":{"invoice_id":{"type":"string"}}}""").RootElement))],
            };

            for (var i = 0; i < warmup; i++)
            {
                await CallAsync(local, messages, options);
                await CallAsync(remote, messages, options);
            }

            var inProcess = new long[timed];
            var overHttp = new long[timed];
            for (var i = 0; i < timed; i++)
            {
                inProcess[i] = await CallAsync(local, messages, options);
                overHttp[i] = await CallAsync(remote, messages, options);
            }

            return (LatencySummary.From(inProcess), LatencySummary.From(overHttp));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private static async Task<long> CallAsync(IChatClient client, List<ChatMessage> messages, ChatOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            updates.Add(update);
        }

        var response = updates.ToChatResponse();
        var elapsed = Stopwatch.GetTimestamp() - started;
        return response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Any(c => c.Name == "billing_get_invoice")
            ? elapsed
            : throw new InvalidOperationException($"The model did not ask for billing_get_invoice: {response.Text}");
    }

    private static async Task WaitHealthyAsync(Uri health)
    {
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await http.GetAsync(health);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The mock model server was not healthy at {health} within 60 s.");
    }
}
