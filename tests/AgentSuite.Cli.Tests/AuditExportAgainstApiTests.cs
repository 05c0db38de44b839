using System.Text.RegularExpressions;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Cli.Tests.Support;

namespace AgentSuite.Cli.Tests;

/// <summary><c>audit search</c>, <c>audit export</c> and <c>audit verify --file</c> against the real Api after a real refund.</summary>
public sealed partial class AuditExportAgainstApiTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agentsuite-cli-export-").FullName;

    [Fact]
    public async Task AnExportVerifiesAndATamperedLineIsReportedWithItsSeq()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();
        var chat = await CliRunner.RunAsync(["--url", url, "--user", "alice", "chat", "-m", "I was charged twice on INV-1002, please refund it"], new CliOptions { Timeout = TimeSpan.FromSeconds(120) });
        Assert.True(chat.ExitCode == 0, chat.ToString());
        var file = Path.Combine(_folder, "audit.jsonl");

        var export = await CliRunner.RunAsync("--url", url, "audit", "export", "--out", file);
        var verify = await CliRunner.RunAsync("--url", url, "audit", "verify", "--file", file);

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var lines = await File.ReadAllLinesAsync(file);
        Assert.Contains($"audit.jsonl verifies: {lines.Length} entries", verify.Out, StringComparison.Ordinal);

        // The refund's decision rewritten in the file: its own hash no longer matches.
        var index = Array.FindIndex(lines, l => l.Contains("\"tool\":\"billing/issue_refund\"", StringComparison.Ordinal) && l.Contains("\"decision\":\"allowed\"", StringComparison.Ordinal));
        var seq = SeqOf().Match(lines[index]).Groups[1].Value;
        lines[index] = lines[index].Replace("\"decision\":\"allowed\"", "\"decision\":\"denied\"", StringComparison.Ordinal);
        var tampered = Path.Combine(_folder, "tampered.jsonl");
        await File.WriteAllLinesAsync(tampered, lines);

        var rejected = await CliRunner.RunAsync("--url", url, "audit", "verify", "--file", tampered);

        Assert.Equal(1, rejected.ExitCode);
        Assert.Contains($"tampered.jsonl does NOT verify at seq {seq}: entry {seq} (line {index + 1}) was changed", rejected.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFilteredExportVerifiesOnlyWithAllowGapsAndALineRemovedFromAWholeExportFails()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();
        await CliRunner.RunAsync(["--url", url, "--user", "alice", "chat", "-m", "I was charged twice on INV-1002, please refund it"], new CliOptions { Timeout = TimeSpan.FromSeconds(120) });
        var billing = Path.Combine(_folder, "billing.jsonl");
        var whole = Path.Combine(_folder, "whole.jsonl");

        await CliRunner.RunAsync("--url", url, "audit", "export", "--tool", "billing/*", "--out", billing);
        await CliRunner.RunAsync("--url", url, "audit", "export", "--out", whole);
        var strict = await CliRunner.RunAsync("--url", url, "audit", "verify", "--file", billing);
        var filtered = await CliRunner.RunAsync("--url", url, "audit", "verify", "--file", billing, "--allow-gaps");

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("are missing (for a filtered export, allow gaps)", strict.Error, StringComparison.Ordinal);
        Assert.True(filtered.ExitCode == 0, filtered.ToString());
        Assert.Contains("gaps in seq", filtered.Out, StringComparison.Ordinal);
        Assert.All(await File.ReadAllLinesAsync(billing), l => Assert.Contains("\"tool\":\"billing/", l, StringComparison.Ordinal));

        // A middle line removed: every remaining line still hashes, but the slice has a hole where it was.
        var lines = (await File.ReadAllLinesAsync(whole)).ToList();
        var removed = SeqOf().Match(lines[lines.Count / 2]).Groups[1].Value;
        lines.RemoveAt(lines.Count / 2);
        var holed = Path.Combine(_folder, "holed.jsonl");
        await File.WriteAllLinesAsync(holed, lines);
        var dropped = await CliRunner.RunAsync("--url", url, "audit", "verify", "--file", holed);
        Assert.Equal(1, dropped.ExitCode);
        Assert.Contains($"entries {removed} to {removed} are missing", dropped.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchShowsTheMatchingEntriesAndHowToReadOnAndExportWritesCsv()
    {
        await using var api = await ApiServer.StartAsync();
        var url = api.BaseAddress.ToString();
        await CliRunner.RunAsync(["--url", url, "--user", "alice", "chat", "-m", "I was charged twice on INV-1002, please refund it"], new CliOptions { Timeout = TimeSpan.FromSeconds(120) });

        var search = await CliRunner.RunAsync("--url", url, "audit", "search", "--tool", "billing/*", "--principal", "alice", "--limit", "2");
        var none = await CliRunner.RunAsync("--url", url, "audit", "search", "--agent", "nosuch");
        var bad = await CliRunner.RunAsync("--url", url, "audit", "search", "--from", "yesterday");
        var csv = await CliRunner.RunAsync("--url", url, "audit", "export", "--kind", "tool.completed", "--format", "csv");

        Assert.True(search.ExitCode == 0, search.ToString());
        Assert.Contains("2 entries", search.Out, StringComparison.Ordinal);
        Assert.Contains("More match; the next page: agentsuite audit search ... --after-seq", search.Out, StringComparison.Ordinal);
        Assert.Contains("No audit entries match.", none.Out, StringComparison.Ordinal);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("from must be an ISO 8601 date and time with an offset", bad.Error, StringComparison.Ordinal);
        Assert.True(csv.ExitCode == 0, csv.ToString());
        var rows = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("seq,at,kind,", rows[0], StringComparison.Ordinal);
        Assert.True(rows.Length > 1);
        Assert.All(rows.Skip(1), r => Assert.Contains(",tool.completed,", r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task VerifyingAFileThatIsNotThereSaysHowToMakeOne()
    {
        var result = await CliRunner.RunAsync("--url", CannedApi.BaseUrl, "audit", "verify", "--file", Path.Combine(_folder, "nope.jsonl"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("agentsuite audit export --out nope.jsonl", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [GeneratedRegex("^\\{\"seq\":(\\d+),")]
    private static partial Regex SeqOf();
}
