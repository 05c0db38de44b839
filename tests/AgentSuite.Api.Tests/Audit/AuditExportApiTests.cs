using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;
using AgentSuite.Governance.Audit;

namespace AgentSuite.Api.Tests.Audit;

/// <summary><c>GET /api/audit/export</c>: the selection of <c>GET /api/audit</c> as JSON Lines or CSV, checkable against the chain.</summary>
public sealed class AuditExportApiTests(AuditSearchFixture fixture) : IClassFixture<AuditSearchFixture>
{
    private static readonly string[] Fields =
        ["seq", "at", "kind", "conversationId", "runId", "agent", "principal", "tool", "toolCallId", "decision", "reason", "data", "prevHash", "hash"];

    [Fact]
    public async Task JsonLinesCarryEveryFieldOfTheSameSelectionAndVerifyAgainstTheChain()
    {
        using var ops = fixture.Api.Client("ops");
        var selected = (await ops.GetJsonAsync($"/api/audit?conversationId={fixture.ConversationId}&limit=1000")).EnumerateArray().ToList();

        using var response = await ops.GetAsync($"/api/audit/export?conversationId={fixture.ConversationId}");
        var text = await response.Content.ReadAsStringAsync();
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<JsonElement>(l)).ToList();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        Assert.Equal(selected.Select(e => e.GetProperty("seq").GetInt64()), lines.Select(l => l.GetProperty("seq").GetInt64()));
        Assert.Equal(selected.Select(e => e.GetProperty("hash").GetString()), lines.Select(l => l.GetProperty("hash").GetString()));
        Assert.All(lines, l => Assert.Equal(Fields, l.EnumerateObject().Select(p => p.Name)));
        var report = await AuditSliceVerifier.VerifyAsync(new StringReader(text), allowGaps: true);
        Assert.True(report.Ok, report.Problem);
        Assert.Equal(selected.Count, report.Count);
    }

    [Fact]
    public async Task TheWholeExportChainsWithoutGapsUpToTheVerifiedHead()
    {
        using var ops = fixture.Api.Client("ops");
        var text = await ops.GetStringAsync("/api/audit/export");
        var head = await ops.GetJsonAsync("/api/audit/verify");

        var report = await AuditSliceVerifier.VerifyAsync(new StringReader(text));

        Assert.True(report.Ok, report.Problem);
        Assert.Equal(0, report.Gaps);
        Assert.Equal(head.GetProperty("count").GetInt64(), report.Count);
        Assert.Equal(head.GetProperty("headHash").GetString(), report.LastHash);
        Assert.StartsWith($"{{\"seq\":1,", text, StringComparison.Ordinal);
        Assert.Contains($"\"prevHash\":\"{AuditChain.Genesis}\"", text.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CsvIsServedForFormatCsvOrAcceptTextCsvWithAHeaderAndOneRowPerEntry()
    {
        using var ops = fixture.Api.Client("ops");
        var selected = (await ops.GetJsonAsync("/api/audit?tool=billing/*&limit=1000")).EnumerateArray().ToList();

        using var byFormat = await ops.GetAsync("/api/audit/export?tool=billing/*&format=csv");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/audit/export?tool=billing/*");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var byAccept = await ops.SendAsync(request);
        var csv = await byFormat.Content.ReadAsStringAsync();
        var rows = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv", byFormat.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/csv", byAccept.Content.Headers.ContentType?.MediaType);
        Assert.Equal(csv, await byAccept.Content.ReadAsStringAsync());
        Assert.Equal(string.Join(',', Fields), rows[0]);
        Assert.Equal(selected.Count, rows.Length - 1);
        for (var i = 0; i < selected.Count; i++)
        {
            Assert.StartsWith($"{selected[i].GetProperty("seq").GetInt64()},", rows[i + 1], StringComparison.Ordinal);
            Assert.EndsWith($",{selected[i].GetProperty("prevHash").GetString()},{selected[i].GetProperty("hash").GetString()}", rows[i + 1], StringComparison.Ordinal);
        }

        Assert.Contains("\"{\"\"", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACsvFieldThatStartsLikeAFormulaGetsALeadingQuoteSoASpreadsheetShowsIt()
    {
        const string key = "formula-key-0123456789";
        var settings = DeskKeys.Settings();
        settings["Auth:Keys:3:Key"] = key;
        settings["Auth:Keys:3:Name"] = "=SUM(1+1)";
        settings["Auth:Keys:3:Roles:0"] = "admin";
        await using var api = await ApiServer.StartAsync(settings);
        using var caller = api.ClientWithKey(key);
        using var engaged = await caller.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "agent:support", engaged = true });
        Assert.Equal(HttpStatusCode.OK, engaged.StatusCode);

        using var response = await caller.GetAsync("/api/audit/export?kind=governance.kill_switch&format=csv");
        var rows = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var jsonl = await caller.GetStringAsync("/api/audit/export?kind=governance.kill_switch");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(rows, r => r.Contains("agent:support", StringComparison.Ordinal));
        Assert.Contains(",'=SUM(1+1),", row, StringComparison.Ordinal);
        Assert.DoesNotContain(",=", row, StringComparison.Ordinal);
        var entry = jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonSerializer.Deserialize<JsonElement>(l))
            .Single(e => e.GetProperty("reason").GetString() == "agent:support");
        Assert.Equal("=SUM(1+1)", entry.GetProperty("principal").GetString());
    }

    [Fact]
    public async Task AnUnknownFormatIs400()
    {
        using var ops = fixture.Api.Client("ops");
        using var response = await ops.GetAsync("/api/audit/export?format=xml");

        await response.ProblemAsync(HttpStatusCode.BadRequest, "format must be jsonl or csv; got 'xml'.");
    }
}
