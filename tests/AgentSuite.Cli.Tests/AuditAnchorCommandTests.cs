using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

public sealed class AuditAnchorCommandTests
{
    [Fact]
    public async Task AnchorPrintsTheSignedAnchorTheApiKeepsAsJson()
    {
        await using var api = await ApiServer.StartAsync();

        var result = await CliRunner.RunAsync("--url", api.BaseAddress.ToString(), "--user", "ops", "audit", "anchor");

        Assert.True(result.ExitCode == 0, result.ToString());
        var printed = JsonSerializer.Deserialize<JsonElement>(result.Out);
        var kept = JsonSerializer.Deserialize<JsonElement>(await File.ReadAllTextAsync(Path.Combine(api.DataFolder, "audit-anchor.json")));
        Assert.Equal(kept.GetProperty("headHash").GetString(), printed.GetProperty("headHash").GetString());
        Assert.Equal(kept.GetProperty("count").GetInt64(), printed.GetProperty("count").GetInt64());
        Assert.Equal(kept.GetProperty("signature").GetString(), printed.GetProperty("signature").GetString());
    }

    [Fact]
    public async Task VerifyNamesTheAnchorTheChainMatches()
    {
        var api = new CannedApi().OnJson("GET /api/audit/verify", """
            {"ok":true,"count":42,"headHash":"abc123","anchor":{"ok":true,"status":"matches","count":40,"headHash":"def","at":"2026-12-06T06:40:00.0000000+00:00"}}
            """);

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "audit", "verify"], new CliOptions { Transport = api });

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("The audit chain verifies: 42 entries, head hash abc123; it matches the anchor signed at 2026-12-06T06:40:00.0000000+00:00 (40 entries)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedChainNamesTheFirstMissingEntryAndExitsOne()
    {
        var api = new CannedApi().OnJson("GET /api/audit/verify", """
            {"ok":false,"count":40,"headHash":"abc123","firstBadSeq":41,"problem":"entries 41..42 are missing: the chain ends at entry 40, but the anchor signed at T vouches for 42 entries; its tail was deleted",
             "anchor":{"ok":false,"status":"truncated","count":42,"firstBadSeq":41}}
            """);

        var result = await CliRunner.RunAsync(["--url", CannedApi.BaseUrl, "audit", "verify"], new CliOptions { Transport = api });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The audit chain does NOT verify at seq 41: entries 41..42 are missing", result.Error, StringComparison.Ordinal);
    }
}
