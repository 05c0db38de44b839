using System.Globalization;
using AgentSuite.Models.Tests.Support;
using Microsoft.Extensions.AI;

namespace AgentSuite.Models.Tests;

public sealed class RecordingConcurrencyTests
{
    private const int Conversations = 8;
    private const int Exchanges = 30;

    [Fact]
    public async Task ParallelConversationsAndSpecialistsLoseNoLine()
    {
        using var folder = new TempFolder();
        var mock = Mock.Client("""
            agents:
              "*":
                - steps:
                    - reply: "{{agent}} answers {{user}}"
            """);
        // Two clients on one folder, as two registrations of one app would be.
        IChatClient[] clients = [mock.WithRecording(folder.Path), mock.WithRecording(folder.Path)];
        string[] agents = ["coordinator", "billing", "support"];

        await Task.WhenAll(
            from c in Enumerable.Range(1, Conversations)
            from i in Enumerable.Range(1, Exchanges)
            select Task.Run(async () =>
            {
                var agent = agents[i % agents.Length];
                var client = clients[(c + i) % clients.Length];
                var options = Recording.For(agent, $"conv-{c}");
                var messages = Recording.Ask(agent, $"request {i}");
                var text = i % 2 == 0
                    ? (await client.GetResponseAsync(messages, options)).Text
                    : (await client.GetStreamingResponseAsync(messages, options).ToChatResponseAsync()).Text;
                Assert.Equal($"{agent} answers request {i}", text);
            }));

        Assert.Equal(Conversations, Directory.GetFiles(folder.Path).Length);
        for (var c = 1; c <= Conversations; c++)
        {
            var lines = Recording.Lines(folder.File($"conv-{c}.jsonl"));
            Assert.Equal(Enumerable.Range(1, Exchanges), lines.Select(l => l.GetProperty("seq").GetInt32()));
            Assert.Equal(
                Enumerable.Range(1, Exchanges),
                lines.Select(l => int.Parse(l.GetProperty("request").GetProperty("messages")[1].GetProperty("text").GetString()!["request ".Length..], CultureInfo.InvariantCulture)).Order());
            Assert.All(lines, l => Assert.Equal($"conv-{c}", l.GetProperty("conversation").GetString()));
        }
    }
}
