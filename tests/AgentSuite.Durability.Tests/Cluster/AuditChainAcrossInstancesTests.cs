using System.Net;
using System.Net.Http.Json;
using AgentSuite.Durability.Tests.Cluster.Support;
using AgentSuite.Durability.Tests.Support;
using static AgentSuite.Durability.Tests.Cluster.Support.ClusterCallers;

namespace AgentSuite.Durability.Tests.Cluster;

/// <summary>Both instances append to the audit at once; what they write is one hash chain, the same read through either.</summary>
public sealed class AuditChainAcrossInstancesTests
{
    private const int ConversationsPerInstance = 12;

    [Fact]
    public async Task ManyConversationsAtOnceOnBothInstancesLeaveOneChainThatVerifiesThroughEither()
    {
        using var run = await TwoInstances.StartAsync();
        using var aliceOnA = run.A.As(Alice);
        using var aliceOnB = run.B.As(Alice);

        var replies = await Task.WhenAll(Enumerable.Range(0, ConversationsPerInstance)
            .SelectMany(i => new[] { AskAsync(aliceOnA, $"INV-100{1 + (i % 6)}"), AskAsync(aliceOnB, $"INV-100{1 + (i % 6)}") }));

        Assert.All(replies, r => Assert.Matches(@"^INV-100\d is \d+\.\d\d USD for ", r));
        var chains = new List<List<(long Seq, string Hash)>>();
        foreach (var instance in new[] { run.A, run.B })
        {
            using var root = instance.As(Root);
            var verification = await root.GetJsonAsync("/api/audit/verify");
            Assert.True(verification.GetProperty("ok").GetBoolean(), $"{verification.GetRawText()}\n{run.Describe()}");
            var entries = await ReadAllAsync(root);
            // One chain: each entry, whichever instance wrote it, links to the one before it.
            Assert.All(entries.Skip(1).Zip(entries), pair => Assert.True(pair.First.PrevHash == pair.Second.Hash && pair.First.Seq > pair.Second.Seq, $"Entry {pair.First.Seq} does not follow {pair.Second.Seq}."));
            Assert.Equal(2 * ConversationsPerInstance, entries.Count(e => e.Kind == "tool.completed" && e.Tool == "billing/get_invoice"));
            chains.Add([.. entries.Select(e => (e.Seq, e.Hash))]);
        }

        Assert.Equal(chains[0], chains[1]);
    }

    private static async Task<string> AskAsync(HttpClient client, string invoice)
    {
        var conversation = await client.NewConversationAsync();
        using var response = await client.PostAsJsonAsync($"/api/conversations/{conversation}/messages", new { text = $"What is on invoice {invoice}?" });
        return (await response.JsonAsync(HttpStatusCode.OK)).Text("reply");
    }

    /// <summary>Every audit entry, page by page (afterSeq), in sequence order.</summary>
    private static async Task<List<(long Seq, string Kind, string Tool, string PrevHash, string Hash)>> ReadAllAsync(HttpClient admin)
    {
        var entries = new List<(long Seq, string Kind, string Tool, string PrevHash, string Hash)>();
        while (true)
        {
            var page = (await admin.GetJsonAsync($"/api/audit?afterSeq={(entries.Count == 0 ? 0 : entries[^1].Seq)}&limit=1000")).EnumerateArray()
                .Select(e => (e.GetProperty("seq").GetInt64(), e.Text("kind"), e.Text("tool"), e.Text("prevHash"), e.Text("hash"))).ToList();
            if (page.Count == 0)
            {
                return entries;
            }

            entries.AddRange(page);
        }
    }
}
