using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Governance.Audit;

namespace AgentSuite.Api.Tests;

/// <summary>
/// The audit chain's head anchored outside the database: the real Api on a data folder that outlives it, stopped,
/// tampered with through a direct SQLite connection or by editing the anchor file, and started again.
/// </summary>
public sealed class AuditAnchorApiTests
{
    private static readonly TimeSpan AnchorWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task CleanChainVerifiesAgainstTheAnchorWrittenAtShutdownAndExportedSigned()
    {
        using var folder = new AnchoredDataFolder();
        await using (var api = await folder.StartApiAsync())
        {
            await AppendAsync(api, 3);
        }

        // Fewer entries than EveryEntries were appended, so only the shutdown could have anchored the last of them.
        var head = folder.Head();
        var kept = folder.ReadAnchorJson();
        Assert.Equal(head.Seq, kept.GetProperty("count").GetInt64());
        Assert.Equal(head.Seq, kept.GetProperty("headSeq").GetInt64());
        Assert.Equal(head.Hash, kept.GetProperty("headHash").GetString());
        Assert.Equal(folder.ExpectedSignature(kept), kept.GetProperty("signature").GetString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(folder.KeyFile));
        }

        await using (var api = await folder.StartApiAsync())
        {
            using var ops = api.Client("ops");
            var verify = await ops.GetJsonAsync("/api/audit/verify");
            Assert.True(verify.GetProperty("ok").GetBoolean(), verify.ToString());
            Assert.Equal("matches", verify.GetProperty("anchor").GetProperty("status").GetString());
            Assert.Equal(head.Seq, verify.GetProperty("anchor").GetProperty("count").GetInt64());
            Assert.Equal("Healthy", (await AuditHealthAsync(api)).GetProperty("status").GetString());

            var exported = await ops.GetJsonAsync("/api/audit/anchor");
            Assert.Equal(head.Hash, exported.GetProperty("headHash").GetString());
            Assert.Equal(folder.ExpectedSignature(exported), exported.GetProperty("signature").GetString());
            Assert.Equal(folder.ReadAnchorJson().GetProperty("signature").GetString(), exported.GetProperty("signature").GetString());
        }
    }

    [Fact]
    public async Task TruncatedTailIsReportedWithTheFirstMissingEntryAndHealthIsDegraded()
    {
        using var folder = new AnchoredDataFolder();
        await using (var api = await folder.StartApiAsync())
        {
            await AppendAsync(api, 4);
        }

        var anchored = folder.ReadAnchor();
        var evidence = File.ReadAllText(folder.AnchorFile);
        folder.DeleteAfter(anchored.Count - 2);

        var logs = new CapturingLoggerProvider();
        await using (var api = await folder.StartApiAsync(logs: logs))
        {
            var critical = Assert.Single(logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal));
            Assert.Contains($"entries {anchored.Count - 1}..{anchored.Count} are missing", critical, StringComparison.Ordinal);

            using var ops = api.Client("ops");
            var verify = await ops.GetJsonAsync("/api/audit/verify");
            Assert.False(verify.GetProperty("ok").GetBoolean());
            Assert.Equal(anchored.Count - 1, verify.GetProperty("firstBadSeq").GetInt64());
            Assert.Equal("truncated", verify.GetProperty("anchor").GetProperty("status").GetString());
            Assert.Contains("its tail was deleted", verify.GetProperty("problem").GetString(), StringComparison.Ordinal);

            var health = await AuditHealthAsync(api);
            Assert.Equal("Degraded", health.GetProperty("status").GetString());
            Assert.Contains($"entries {anchored.Count - 1}..{anchored.Count} are missing", health.GetProperty("description").GetString(), StringComparison.Ordinal);

            // New entries reuse the deleted numbers; the anchor that proves the loss is not advanced over them.
            await AppendAsync(api, 3);
        }

        Assert.Equal(evidence, File.ReadAllText(folder.AnchorFile));
    }

    [Fact]
    public async Task TailDeletedWhileTheApiRunsDegradesHealthAtOnce()
    {
        using var folder = new AnchoredDataFolder();
        await using var api = await folder.StartApiAsync(everyEntries: 1);
        await AppendAsync(api, 3);
        var anchored = await WaitForAnchorOfHeadAsync(folder);

        folder.DeleteAfter(anchored - 1);

        var health = await AuditHealthAsync(api);
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Contains($"entry {anchored}, the head anchored at", health.GetProperty("description").GetString(), StringComparison.Ordinal);
        var verify = await api.Client("ops").GetJsonAsync("/api/audit/verify");
        Assert.Equal(anchored, verify.GetProperty("firstBadSeq").GetInt64());
    }

    [Fact]
    public async Task ChainRebuiltAfterAnEditIsReportedWithTheFirstChangedEntry()
    {
        using var folder = new AnchoredDataFolder();
        await using (var api = await folder.StartApiAsync(everyEntries: 1))
        {
            // One entry at a time, each anchored before the next, so every entry is a checkpoint of the anchor.
            for (var i = 0; i < 4; i++)
            {
                await AppendAsync(api, 1);
                await WaitForAnchorOfHeadAsync(folder);
            }
        }

        var anchored = folder.ReadAnchor();
        var edited = anchored.HeadSeq - 2;
        Assert.Contains(anchored.Checkpoints, c => c.Seq == edited - 1);
        await folder.RebuildAfterEditAsync(edited);

        var logs = new CapturingLoggerProvider();
        await using (var api = await folder.StartApiAsync(logs: logs))
        {
            var critical = Assert.Single(logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal));
            Assert.Contains($"the chain was rebuilt from entry {edited} on", critical, StringComparison.Ordinal);

            var verify = await api.Client("ops").GetJsonAsync("/api/audit/verify");
            Assert.False(verify.GetProperty("ok").GetBoolean());
            Assert.Equal(anchored.HeadSeq, verify.GetProperty("count").GetInt64());
            Assert.Equal(edited, verify.GetProperty("firstBadSeq").GetInt64());
            Assert.Equal("rewritten", verify.GetProperty("anchor").GetProperty("status").GetString());
            Assert.Equal("Degraded", (await AuditHealthAsync(api)).GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task AnchorAlteredWithoutTheKeyIsReportedAsForged()
    {
        using var folder = new AnchoredDataFolder();
        await using (var api = await folder.StartApiAsync())
        {
            await AppendAsync(api, 2);
        }

        // A tamperer who deleted the tail lowers the anchor's count to match; without the key the signature no longer fits.
        var anchored = folder.ReadAnchor();
        File.WriteAllText(folder.AnchorFile, AuditAnchorJson.Serialize(anchored with { Count = anchored.Count - 1, HeadSeq = anchored.HeadSeq - 1 }));

        var logs = new CapturingLoggerProvider();
        await using var restarted = await folder.StartApiAsync(logs: logs);
        Assert.Contains(logs.Lines, l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("was altered after it was signed", StringComparison.Ordinal));
        var verify = await restarted.Client("ops").GetJsonAsync("/api/audit/verify");
        Assert.False(verify.GetProperty("ok").GetBoolean());
        Assert.Equal("forged", verify.GetProperty("anchor").GetProperty("status").GetString());
        Assert.Contains("does not verify", verify.GetProperty("problem").GetString(), StringComparison.Ordinal);
        var health = await AuditHealthAsync(restarted);
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Contains("was altered after it was signed", health.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnchorExportNeedsTheAdminRole()
    {
        using var folder = new AnchoredDataFolder();
        await using var api = await ApiServer.StartAsync(new Dictionary<string, string?>
        {
            ["AgentSuite:DataFolder"] = folder.Path,
            ["Auth:Keys:0:Key"] = "user-key-0123456789",
            ["Auth:Keys:0:Name"] = "alice",
            ["Auth:Keys:0:Roles:0"] = "user",
            ["Auth:Keys:1:Key"] = "ops-key-01234567890",
            ["Auth:Keys:1:Name"] = "ops",
            ["Auth:Keys:1:Roles:0"] = "admin",
        });

        using var user = api.ClientWithKey("user-key-0123456789");
        using var refused = await user.GetAsync("/api/audit/anchor");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var anchor = await api.ClientWithKey("ops-key-01234567890").GetJsonAsync("/api/audit/anchor");
        Assert.Equal(64, anchor.GetProperty("signature").GetString()!.Length);
    }

    /// <summary>Appends <paramref name="count"/> audit entries: a kill switch engaged and released in turn.</summary>
    private static async Task AppendAsync(ApiServer api, int count)
    {
        using var ops = api.Client("ops");
        for (var i = 0; i < count; i++)
        {
            using var content = JsonContent.Create(new { scope = "agent:support", engaged = i % 2 == 0 });
            using var put = await ops.PutAsync("/api/governance/kill-switch", content);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        if (count % 2 == 1)
        {
            using var content = JsonContent.Create(new { scope = "agent:support", engaged = false });
            using var release = await ops.PutAsync("/api/governance/kill-switch", content);
            Assert.Equal(HttpStatusCode.OK, release.StatusCode);
        }
    }

    /// <summary>Waits until the anchor file vouches for the chain's current head (EveryEntries 1), and returns its seq.</summary>
    private static async Task<long> WaitForAnchorOfHeadAsync(AnchoredDataFolder folder)
    {
        using var deadline = new CancellationTokenSource(AnchorWait);
        while (true)
        {
            var head = folder.Head();
            if (File.Exists(folder.AnchorFile) && folder.ReadAnchor() is { } anchor && anchor.HeadSeq == head.Seq && anchor.HeadHash == head.Hash)
            {
                return head.Seq;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    /// <summary>The audit check of <c>/health</c> (200 when degraded, 503 when another check is unhealthy: either way the body names each check).</summary>
    private static async Task<JsonElement> AuditHealthAsync(ApiServer api)
    {
        using var client = api.Client("ops");
        using var response = await client.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("checks").GetProperty("audit");
    }
}
