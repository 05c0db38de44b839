using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.MockModelServer.Tests.Support;

namespace AgentSuite.Api.Tests.Model;

/// <summary>
/// Record and replay through the Api: a conversation run with <c>Model:RecordTo</c> against an OpenAI-compatible model
/// (here the mock model server, through the real provider) replays with <c>Model:Script</c> set to the recording, giving
/// the same tool calls and audit decisions; a run that asks what the recording does not cover fails, saying where.
/// </summary>
public sealed class RecordReplayApiTests
{
    private const string Refund = "I was charged twice on INV-1002, please refund it";
    private const string Key = "sk-agentsuite-record-5be2c81f09d4";

    /// <summary>A recording made with the Api's recording mode (see docs/mock-model.md), kept as a regression test.</summary>
    private static readonly string CommittedRecording = Path.Combine(AppContext.BaseDirectory, "Model", "Recordings", "refund-inv-1002.jsonl");

    [Fact]
    public async Task ARecordedConversationReplaysWithTheSameToolCallsAndDecisions()
    {
        var folder = Path.Combine(Path.GetTempPath(), "agentsuite-recordings", Guid.NewGuid().ToString("N"));
        try
        {
            string recordedReply;
            List<Decision> recorded;
            string recording;
            await using (var model = await MockModelServerProcess.StartAsync(environment: new Dictionary<string, string?> { ["MockModel__ApiKey"] = Key }))
            await using (var api = await ApiServer.StartAsync(new Dictionary<string, string?>
            {
                ["Model:Provider"] = "OpenAI",
                ["Model:Endpoint"] = model.V1.ToString(),
                ["Model:Name"] = "agentsuite-mock",
                ["Model:ApiKey"] = Key,
                ["Model:RecordTo"] = folder,
            }))
            {
                using var alice = api.Client("alice");
                var id = await alice.NewConversationAsync();
                recordedReply = (await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = Refund })).GetProperty("reply").GetString()!;
                recorded = await DecisionsAsync(alice, id);
                recording = Path.Combine(folder, id + ".jsonl");
            }

            // One line per model exchange: the coordinator twice around the hand-off, billing four times.
            var lines = await File.ReadAllLinesAsync(recording);
            Assert.Equal(6, lines.Length);
            Assert.DoesNotContain(lines, l => l.Contains(Key, StringComparison.Ordinal));

            await using (var replay = await ApiServer.StartAsync(new Dictionary<string, string?> { ["Model:Script"] = recording }))
            {
                using var bob = replay.Client("bob");
                var id = await bob.NewConversationAsync();
                var reply = (await bob.PostJsonAsync($"/api/conversations/{id}/messages", new { text = Refund })).GetProperty("reply").GetString();

                Assert.Equal(recordedReply, reply);
                Assert.Equal(recorded, await DecisionsAsync(bob, id));
            }
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task TheCommittedRefundRecordingStillReplays()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?> { ["Model:Script"] = CommittedRecording });
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        var reply = (await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = Refund })).GetProperty("reply").GetString();

        Assert.Matches(@"^Refunded 49\.00 USD for the duplicate charge CH-2 on INV-1002; the refund id is RF-\d+\.$", reply);
        var decisions = await DecisionsAsync(alice, id);
        Assert.Equal(
            [("coordinator", "agents/ask_billing", "allowed"), ("billing", "billing/get_invoice", "allowed"), ("billing", "policy/check_refund", "allowed"), ("billing", "billing/issue_refund", "allowed")],
            decisions.Select(d => (d.Agent, d.Tool, d.Outcome)));
    }

    [Fact]
    public async Task AGovernanceChangeTheRecordingDidNotSeeFailsTheReplayAndSaysWhere()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["Model:Script"] = CommittedRecording,
            ["Governance:KillSwitch:Engaged:0"] = "tool:billing/issue_refund",
        });
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        using var response = await alice.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = Refund });
        var detail = await response.ProblemAsync(HttpStatusCode.InternalServerError, "refund-inv-1002.jsonl");
        Assert.Contains("'billing'", detail, StringComparison.Ordinal);
        Assert.Contains("billing_issue_refund", detail, StringComparison.Ordinal);
        Assert.Contains("denied", detail, StringComparison.Ordinal);

        // The refund itself was denied and audited before the replay noticed.
        var decisions = await DecisionsAsync(alice, id);
        Assert.Equal(("billing/issue_refund", "denied"), (decisions[^1].Tool, decisions[^1].Outcome));
    }

    [Fact]
    public async Task AMessageTheRecordingDoesNotHaveFailsTheReplayAndSaysWhere()
    {
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?> { ["Model:Script"] = CommittedRecording });
        using var alice = api.Client("alice");
        var id = await alice.NewConversationAsync();

        await using var stream = await EventStream.SendAsync(alice, id, "I was charged twice on INV-1003, please refund it");
        var failed = await stream.ReadUntilAsync("turn.failed");
        var reason = failed!.Value.GetProperty("reason").GetString()!;
        Assert.Contains("'coordinator'", reason, StringComparison.Ordinal);
        Assert.Contains("INV-1003", reason, StringComparison.Ordinal);
        Assert.Contains("refund-inv-1002.jsonl", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMockModelServerConvertsARecordingIntoTheReplayScriptItStandsFor()
    {
        var (exitCode, yaml) = await MockModelServerProcess.RunToExitAsync(["convert", CommittedRecording]);
        Assert.True(exitCode == 0, yaml);
        Assert.Contains("replay: true", yaml, StringComparison.Ordinal);

        // The YAML, as a forker would edit it, replays the same conversation.
        var script = Path.Combine(Path.GetTempPath(), $"agentsuite-replay-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(script, yaml);
        try
        {
            await using var api = await ApiServer.StartAsync(new Dictionary<string, string?> { ["Model:Script"] = script });
            using var alice = api.Client("alice");
            var id = await alice.NewConversationAsync();
            var reply = (await alice.PostJsonAsync($"/api/conversations/{id}/messages", new { text = Refund })).GetProperty("reply").GetString();
            Assert.StartsWith("Refunded 49.00 USD for the duplicate charge CH-2 on INV-1002", reply, StringComparison.Ordinal);
            Assert.Equal(4, (await DecisionsAsync(alice, id)).Count(d => d.Outcome == "allowed"));
        }
        finally
        {
            File.Delete(script);
        }

        var missing = Path.Combine(Path.GetTempPath(), $"no-such-recording-{Guid.NewGuid():N}.jsonl");
        var (failed, message) = await MockModelServerProcess.RunToExitAsync(["convert", missing]);
        Assert.Equal(1, failed);
        Assert.Contains($"Cannot convert '{missing}'", message, StringComparison.Ordinal);
        Assert.Contains("Model:RecordTo", message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAgentRunnerAndTheModelsAgreeOnTheRequestPropertyKeys()
    {
        // Agents does not reference Models, so the two keys are written twice; this keeps them one contract.
        Assert.Equal(AgentSuite.Models.MockChatClient.AgentPropertyKey, AgentSuite.Agents.AgentRunner.AgentPropertyKey);
        Assert.Equal(AgentSuite.Models.MockChatClient.ConversationPropertyKey, AgentSuite.Agents.AgentRunner.ConversationPropertyKey);
    }

    private static async Task<List<Decision>> DecisionsAsync(HttpClient client, string conversationId)
    {
        var entries = await client.GetJsonAsync($"/api/audit?conversationId={conversationId}&limit=1000");
        return [.. entries.EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == "tool.decision")
            .Select(e => new Decision(
                e.GetProperty("agent").GetString()!,
                e.GetProperty("tool").GetString()!,
                e.GetProperty("decision").GetString()!,
                e.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("argumentsHash", out var hash) ? hash.GetString() : null))];
    }

    private sealed record Decision(string Agent, string Tool, string Outcome, string? ArgumentsHash);
}
