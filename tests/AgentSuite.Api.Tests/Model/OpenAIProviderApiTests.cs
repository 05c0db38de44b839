using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.MockModelServer.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Api.Tests.Model;

/// <summary>
/// The Api with <c>Model:Provider=OpenAI</c>: against the mock model server as its own process (so CI runs the real
/// provider, its streaming and its tool-call parsing), and against fixture answers for what a real model may do wrong.
/// </summary>
public sealed class OpenAIProviderApiTests
{
    private const string Refund = "I was charged twice on INV-1002, please refund it";
    private const string Key = "sk-agentsuite-test-7d0c55e1b8a94f3e";

    [Fact]
    public async Task RefundRunsEndToEndThroughTheProviderAgainstTheMockModelServer()
    {
        await using var model = await MockModelServerProcess.StartAsync(environment: new Dictionary<string, string?> { ["MockModel__ApiKey"] = Key });
        await using var api = await ApiServer.StartAsync(Provider(model.V1, ("Model:ApiKey", Key), ("Model:Name", "agentsuite-mock")));
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, Refund);
        var completed = await stream.ReadUntilAsync("turn.completed");
        var reply = completed!.Value.GetProperty("text").GetString()!;
        Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.$", reply);

        // The provider streams: the coordinator's deltas join to its reply, the specialist's to its own answer.
        var deltas = stream.Received.Where(e => e.GetProperty("type").GetString() == "message.delta").ToList();
        Assert.True(deltas.Count(e => e.GetProperty("agent").GetString() == "coordinator") > 1);
        Assert.Equal(reply, string.Concat(deltas.Where(e => e.GetProperty("agent").GetString() == "coordinator").Select(e => e.GetProperty("text").GetString())));
        Assert.Contains(deltas, e => e.GetProperty("agent").GetString() == "billing");

        var decisions = await DecisionsAsync(alice, id);
        Assert.Equal(
            [("coordinator", "agents/ask_billing", "allowed"), ("billing", "billing/get_invoice", "allowed"), ("billing", "policy/check_refund", "allowed"), ("billing", "billing/issue_refund", "allowed")],
            decisions.Select(d => (d.Agent, d.Tool, d.Decision)));
        Assert.True((await alice.GetJsonAsync("/api/audit/verify")).GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task TheKeyNeverReachesLogsTracesTheAuditOrTheStore()
    {
        await using var model = await MockModelServerProcess.StartAsync(environment: new Dictionary<string, string?> { ["MockModel__ApiKey"] = Key });
        var logs = new CapturingLoggerProvider();
        var traces = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (traces)
                {
                    traces.Add($"{a.Source.Name} {a.DisplayName} {string.Join(' ', a.TagObjects.Select(t => $"{t.Key}={t.Value}"))} {string.Join(' ', a.Events.SelectMany(e => e.Tags).Select(t => $"{t.Key}={t.Value}"))}");
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using (var api = await ApiServer.StartAsync(
            Provider(model.V1, ("Model:ApiKey", Key), ("Model:Name", "agentsuite-mock"), ("AgentSuite:Telemetry:RecordSensitiveData", "true"), ("Logging:LogLevel:Default", "Trace")),
            builder => builder.Logging.AddProvider(logs)))
        {
            using var alice = api.Client("alice");
            var id = await alice.NewConversationAsync();
            var turn = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = Refund });
            Assert.StartsWith("Refunded 49.00 USD", turn.GetProperty("reply").GetString(), StringComparison.Ordinal);

            var audit = await alice.GetStringAsync("/api/audit?limit=1000");
            Assert.Contains("billing/issue_refund", audit, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, audit, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, await alice.GetStringAsync($"/api/conversations/{id}"), StringComparison.Ordinal);

            // Recorded with sensitive data on: prompts and arguments are in the traces, the key is not.
            lock (traces)
            {
                Assert.Contains(traces, t => t.Contains("INV-1002", StringComparison.Ordinal));
                Assert.DoesNotContain(traces, t => t.Contains(Key, StringComparison.Ordinal));
            }

            Assert.NotEmpty(logs.Lines);
            Assert.DoesNotContain(logs.Lines, l => l.Contains(Key, StringComparison.Ordinal));

            // The Api's store and each plugin's data file, with their write-ahead logs.
            foreach (var file in Directory.EnumerateFiles(api.DataFolder, "*", SearchOption.AllDirectories))
            {
                await using var read = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                Assert.DoesNotContain(Key, await new StreamReader(read).ReadToEndAsync(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task InventedToolCallsGoBackToTheModelAsDenialsAndAreAudited()
    {
        await using var model = await FixtureModelServer.StartAsync();
        model.Reply("coordinator-invented-calls.json").Reply("apology.json");
        await using var api = await ApiServer.StartAsync(Provider(model.Endpoint));
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        var turn = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = Refund });
        Assert.Equal("Sorry, I could not look that up: the tools refused my request.", turn.GetProperty("reply").GetString());

        var decisions = await DecisionsAsync(alice, id);
        Assert.Equal(2, decisions.Count);
        Assert.Equal(("coordinator", "transfer_funds", "denied", "unknown-tool"), (decisions[0].Agent, decisions[0].Tool, decisions[0].Decision, decisions[0].Stage));
        Assert.Equal(("coordinator", "agents/ask_billing", "denied", "arguments"), (decisions[1].Agent, decisions[1].Tool, decisions[1].Decision, decisions[1].Stage));
        Assert.Contains("not valid JSON", decisions[1].Reason, StringComparison.Ordinal);

        // The model's next request carries both denials as the calls' results.
        var results = model.Requests[1].Json.GetProperty("messages").EnumerateArray().Where(m => m.GetProperty("role").GetString() == "tool").ToList();
        Assert.Equal(["call_Invented0000000000000001", "call_Malformed000000000000002"], results.Select(r => r.GetProperty("tool_call_id").GetString()));
        Assert.All(results, r => Assert.Equal("denied", JsonDocument.Parse(r.GetProperty("content").GetString()!).RootElement.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AModelThatKeepsFailingEndsTheTurnWithTurnFailedAndKeepsTheMessage()
    {
        await using var model = await FixtureModelServer.StartAsync();
        await using var api = await ApiServer.StartAsync(Provider(model.Endpoint, ("Model:MaxRetries", "1"), ("Model:RetryDelay", "00:00:00.010")));
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        await using (var stream = await EventStream.SendAsync(alice, id, Refund))
        {
            var failed = await stream.ReadUntilAsync("turn.failed");
            var reason = failed!.Value.GetProperty("reason").GetString()!;
            Assert.Contains("'fixture-model'", reason, StringComparison.Ordinal);
            Assert.Contains("HTTP 500", reason, StringComparison.Ordinal);
            Assert.Contains("2 attempt(s)", reason, StringComparison.Ordinal);
            Assert.Contains("no more answers queued", reason, StringComparison.Ordinal);
        }

        using (var response = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "Are you there?" }))
        {
            await response.ProblemAsync(HttpStatusCode.BadGateway, "HTTP 500");
        }

        Assert.Equal(4, model.Requests.Count);
        var conversation = await alice.GetJsonAsync($"/api/conversations/{id}");
        Assert.Equal([Refund, "Are you there?"], conversation.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task AModelAnswering503And429IsTriedAsOftenAsTheModelSettingsSayAndNoMore()
    {
        await using var model = await FixtureModelServer.StartAsync();
        var slow = TimeSpan.FromMilliseconds(300);
        model.ReplyAfter(slow, "server-error.json", 503).ReplyAfter(slow, "rate-limited.json", 429, ("Retry-After", "0")).ReplyAfter(slow, "server-error.json", 503);

        // The SDK's retry policy is the only layer: the HTTP resilience handler's own retries must not multiply its
        // attempts, and its timeouts, far shorter than each answer takes, would cut every attempt if it were under the SDK.
        await using var api = await ApiServer.StartAsync(Provider(
            model.Endpoint,
            ("Model:MaxRetries", "2"),
            ("Model:RetryDelay", "00:00:00.010"),
            ("HttpResilience:Retry:MaxRetryAttempts", "5"),
            ("HttpResilience:AttemptTimeout:Timeout", "00:00:00.010"),
            ("HttpResilience:TotalRequestTimeout:Timeout", "00:00:00.020")));
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        using (var response = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = Refund }))
        {
            await response.ProblemAsync(HttpStatusCode.BadGateway, "HTTP 503");
        }

        Assert.Equal(3, model.Requests.Count);
    }

    [Fact]
    public async Task AnAspireConnectionStringNamesTheEndpointModelAndKey()
    {
        await using var model = await MockModelServerProcess.StartAsync(environment: new Dictionary<string, string?> { ["MockModel__ApiKey"] = Key });
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Model:Provider"] = "OpenAI",
            ["ConnectionStrings:model"] = $"Endpoint={model.V1};Key={Key};Model=agentsuite-mock",
        });
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        var turn = await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = "Please open a case about my login" });
        Assert.Contains("CASE-", turn.GetProperty("reply").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyInACommittedSettingsFileStopsTheApiAtStart()
    {
        var file = Path.Combine(Path.GetTempPath(), $"agentsuite-committed-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$"""{ "Model": { "ApiKey": "{{Key}}" } }""");
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiServer.StartAsync(
                Provider(new Uri("http://127.0.0.1:9/v1")),
                builder => builder.Configuration.AddJsonFile(file)));
            Assert.Contains("Model:ApiKey", error.Message, StringComparison.Ordinal);
            Assert.Contains(file, error.Message, StringComparison.Ordinal);
            Assert.Contains("dotnet user-secrets set Model:ApiKey", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("Model:Name", "", "no model is named: set Model:Name")]
    [InlineData("Model:Endpoint", "localhost:11434", "is not an absolute http(s) URL")]
    [InlineData("Model:Provider", "Anthropic", "this build knows 'Mock'")]
    [InlineData("Model:Timeout", "soon", "Model:Timeout is 'soon'")]
    public async Task ABadModelSettingStopsTheApiNamingTheKey(string key, string value, string expected)
    {
        var settings = Provider(new Uri("http://127.0.0.1:9/v1"));
        settings[key] = value;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ApiServer.StartAsync(settings));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Provider(Uri endpoint, params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Model:Provider"] = "OpenAI",
            ["Model:Endpoint"] = endpoint.ToString(),
            ["Model:Name"] = "fixture-model",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static async Task<List<(string Agent, string Tool, string Decision, string? Stage, string? Reason)>> DecisionsAsync(HttpClient client, string conversationId)
    {
        var entries = await client.GetJsonAsync($"/api/audit?conversationId={conversationId}&limit=1000");
        return [.. entries.EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "tool.decision")
            .Select(e => (
                e.GetProperty("agent").GetString()!,
                e.GetProperty("tool").GetString()!,
                e.GetProperty("decision").GetString()!,
                e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("stage", out var stage) ? stage.GetString() : null,
                e.TryGetProperty("reason", out var reason) ? reason.GetString() : null))];
    }
}
