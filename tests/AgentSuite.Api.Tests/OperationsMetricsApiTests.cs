using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentSuite.Api.Tests.Support;

namespace AgentSuite.Api.Tests;

/// <summary>
/// <c>GET /api/status/metrics</c> against the real Api: figures of real turns (mock model, the three plugins) that agree
/// with <c>GET /api/audit</c> and survive a restart, the admin role, and a SQLite file filled with known history.
/// </summary>
public sealed class OperationsMetricsApiTests
{
    private const string SmallRefund = "I was charged twice on INV-1002, please refund it";
    private const string BigRefund = "I was charged twice on INV-1006, please refund it";
    private const string NoSuchInvoice = "I was charged twice on INV-9999, please refund it";

    [Fact]
    public async Task FiguresOfRealTurnsAgreeWithTheAuditAndSurviveARestart()
    {
        var settings = DeskKeys.Settings();
        var api = await ApiServer.StartAsync(settings);
        try
        {
            using var alice = api.ClientWithKey(DeskKeys.Alice);
            using var bob = api.ClientWithKey(DeskKeys.Bob);
            using var ops = api.ClientWithKey(DeskKeys.Ops);

            await alice.PostJsonAsync($"/api/conversations/{await alice.NewConversationAsync()}/messages", new { text = SmallRefund });
            var approved = await DecideAsync(alice, bob, approve: true);
            var denied = await DecideAsync(alice, bob, approve: false);
            await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "tool:billing/issue_refund", engaged = true });
            await alice.PostJsonAsync($"/api/conversations/{await alice.NewConversationAsync()}/messages", new { text = SmallRefund });
            await ops.PutAsJsonAsync("/api/governance/kill-switch", new { scope = "tool:billing/issue_refund", engaged = false });
            var failed = await alice.PostJsonAsync($"/api/conversations/{await alice.NewConversationAsync()}/messages", new { text = NoSuchInvoice });
            Assert.Contains(failed.GetProperty("events").EnumerateArray(), e => e.GetProperty("type").GetString() == "tool.failed");

            var report = await ops.GetJsonAsync("/api/status/metrics");
            var windows = report.GetProperty("windows").EnumerateArray().ToList();
            Assert.Equal(["hour", "day"], windows.Select(w => w.GetProperty("window").GetString()));
            Assert.Equal([300, 3600], windows.Select(w => w.GetProperty("bucketSeconds").GetInt32()));
            var hour = windows[0];
            var to = hour.GetProperty("to").GetDateTimeOffset();
            Assert.Equal(to.AddHours(-1), hour.GetProperty("from").GetDateTimeOffset());

            // Five turns, all completed: a failed or denied call is answered by the specialist, not a failed turn.
            var turns = hour.GetProperty("turns");
            Assert.Equal((5L, 5L, 0L), (Long(turns, "count"), Long(turns, "completed"), Long(turns, "failed")));
            Assert.Equal(5, Buckets(turns, 12).Sum());
            var listed = (await ops.GetJsonAsync("/api/conversations")).GetProperty("items").EnumerateArray()
                .Select(c => c.GetProperty("turn"))
                .Select(t => (t.GetProperty("endedAt").GetDateTimeOffset() - t.GetProperty("startedAt").GetDateTimeOffset()).TotalMilliseconds)
                .Order().ToList();
            Assert.Equal(listed[^1], turns.GetProperty("p95Ms").GetDouble(), 1.5);
            Assert.Equal(listed[2], turns.GetProperty("p50Ms").GetDouble(), 1.5);

            // Approvals: two requested, one approved and one denied; each wait is its decision's time less its request's.
            var approvals = hour.GetProperty("approvals");
            var waits = new[] { approved, denied }.Select(d => (d.GetProperty("decidedAt").GetDateTimeOffset() - d.GetProperty("requestedAt").GetDateTimeOffset()).TotalSeconds).Order().ToList();
            Assert.Equal((2L, 2L), (Long(approvals, "requested"), Long(approvals, "decided")));
            Assert.Equal(0.4, approvals.GetProperty("perTurn").GetDouble());
            Assert.Equal(waits[0], approvals.GetProperty("waitP50Seconds").GetDouble(), 0.002);
            Assert.Equal(waits[1], approvals.GetProperty("waitP95Seconds").GetDouble(), 0.002);

            var denials = hour.GetProperty("denials");
            Assert.Equal(new Dictionary<string, long> { ["approval"] = 1, ["kill-switch"] = 1 }, Counts(denials, "byStage"));
            var failures = hour.GetProperty("failures");
            Assert.Equal(new Dictionary<string, long> { ["billing/get_invoice"] = 1 }, Counts(failures, "byTool"));

            // The same numbers as a search of the chain over the window gives.
            var range = $"from={Uri.EscapeDataString(hour.GetProperty("from").GetString()!)}&to={Uri.EscapeDataString(hour.GetProperty("to").GetString()!)}&limit=1000";
            var requested = (await ops.GetJsonAsync($"/api/audit?kind=approval.requested&{range}")).GetArrayLength();
            var deniedEntries = (await ops.GetJsonAsync($"/api/audit?kind=tool.decision&decision=denied&{range}")).EnumerateArray().ToList();
            var failedEntries = (await ops.GetJsonAsync($"/api/audit?kind=tool.failed&decision=failed&{range}")).EnumerateArray().ToList();
            Assert.Equal(requested, Long(approvals, "requested"));
            Assert.Equal(Buckets(approvals, 12).Sum(), requested);
            Assert.Equal(deniedEntries.GroupBy(e => e.GetProperty("data").GetProperty("stage").GetString()!).ToDictionary(g => g.Key, g => (long)g.Count()), Counts(denials, "byStage"));
            Assert.Equal((long)deniedEntries.Count, Long(denials, "total"));
            Assert.Equal(deniedEntries.Count, Buckets(denials, 12).Sum());
            Assert.Equal(failedEntries.GroupBy(e => e.GetProperty("tool").GetString()!).ToDictionary(g => g.Key, g => (long)g.Count()), Counts(failures, "byTool"));
            Assert.Equal(failedEntries.Count, Buckets(failures, 12).Sum());

            // The day holds the same history, in 24 buckets.
            var day = windows[1];
            Assert.Equal(Long(turns, "count"), Long(day.GetProperty("turns"), "count"));
            Assert.Equal(5, Buckets(day.GetProperty("turns"), 24).Sum());
            Assert.Equal(Counts(denials, "byStage"), Counts(day.GetProperty("denials"), "byStage"));

            // Another process on the same data folder reads the same figures for the same instant.
            api = await api.RestartAsync(settings);
            using var opsAgain = api.ClientWithKey(DeskKeys.Ops);
            var again = await opsAgain.GetJsonAsync($"/api/status/metrics?at={Uri.EscapeDataString(to.ToString("O", CultureInfo.InvariantCulture))}");
            Assert.Equal(report.GetProperty("windows").GetRawText(), again.GetProperty("windows").GetRawText());
        }
        finally
        {
            await api.DisposeAsync();
        }
    }

    [Fact]
    public async Task OnlyAnAdminReadsTheFiguresAndABadAtIs400()
    {
        await using var api = await ApiServer.StartAsync(DeskKeys.Settings());
        using var alice = api.ClientWithKey(DeskKeys.Alice);
        using var bob = api.ClientWithKey(DeskKeys.Bob);
        using var ops = api.ClientWithKey(DeskKeys.Ops);
        using var nobody = new HttpClient { BaseAddress = api.BaseAddress };

        using (var user = await alice.GetAsync("/api/status/metrics"))
        {
            await user.ProblemAsync(HttpStatusCode.Forbidden, "admin");
        }

        using (var approver = await bob.GetAsync("/api/status/metrics"))
        {
            await approver.ProblemAsync(HttpStatusCode.Forbidden, "admin");
        }

        using (var anonymous = await nobody.GetAsync("/api/status/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var bad = await ops.GetAsync("/api/status/metrics?at=yesterday"))
        {
            await bad.ProblemAsync(HttpStatusCode.BadRequest, "at 'yesterday' is not an ISO 8601 date or instant");
        }

        using (var early = await ops.GetAsync("/api/status/metrics?at=0001-01-01T00:00:00Z"))
        {
            await early.ProblemAsync(HttpStatusCode.BadRequest, "at '0001-01-01T00:00:00Z' is out of range");
        }

        // Nothing happened yet: zero counts, and null for every figure that needs at least one value.
        var hour = (await ops.GetJsonAsync("/api/status/metrics")).GetProperty("windows")[0];
        Assert.Equal(0L, Long(hour.GetProperty("turns"), "count"));
        Assert.Equal(JsonValueKind.Null, hour.GetProperty("turns").GetProperty("p50Ms").ValueKind);
        Assert.Equal(JsonValueKind.Null, hour.GetProperty("approvals").GetProperty("perTurn").ValueKind);
        Assert.Equal(JsonValueKind.Null, hour.GetProperty("approvals").GetProperty("waitP95Seconds").ValueKind);
        Assert.Empty(Counts(hour.GetProperty("denials"), "byStage"));
    }

    [Fact]
    public async Task AFileHoldingKnownHistoryGivesItsFiguresPerWindowAndBucket()
    {
        var end = new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero);
        var folder = Path.Combine(Path.GetTempPath(), "agentsuite-api-tests", Guid.NewGuid().ToString("N"));
        await KnownHistory.WriteAsync(folder, end);
        await using var api = await ApiServer.StartAsync(DeskKeys.Settings(), dataFolder: folder);
        using var ops = api.ClientWithKey(DeskKeys.Ops);

        var report = await ops.GetJsonAsync($"/api/status/metrics?at={Uri.EscapeDataString("2026-01-15T12:00:00Z")}");

        var (hour, day) = (report.GetProperty("windows")[0], report.GetProperty("windows")[1]);
        Assert.Equal((end.AddHours(-1), end), (hour.GetProperty("from").GetDateTimeOffset(), hour.GetProperty("to").GetDateTimeOffset()));
        var turns = hour.GetProperty("turns");
        Assert.Equal((2L, 1L, 1L, 0L), (Long(turns, "count"), Long(turns, "completed"), Long(turns, "failed"), Long(turns, "abandoned")));
        Assert.Equal((2000.0, 10000.0), (turns.GetProperty("p50Ms").GetDouble(), turns.GetProperty("p95Ms").GetDouble()));
        Assert.Equal([0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0], Buckets(turns, 12));
        var approvals = hour.GetProperty("approvals");
        Assert.Equal((1L, 1L, 0.5), (Long(approvals, "requested"), Long(approvals, "decided"), approvals.GetProperty("perTurn").GetDouble()));
        Assert.Equal((60.0, 60.0), (approvals.GetProperty("waitP50Seconds").GetDouble(), approvals.GetProperty("waitP95Seconds").GetDouble()));
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0], Buckets(approvals, 12));
        Assert.Equal(new Dictionary<string, long> { ["arguments"] = 1, ["unknown"] = 1 }, Counts(hour.GetProperty("denials"), "byStage"));
        Assert.Equal([0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0], Buckets(hour.GetProperty("denials"), 12));
        Assert.Equal(new Dictionary<string, long> { ["crm/create_case"] = 1 }, Counts(hour.GetProperty("failures"), "byTool"));
        Assert.Equal([0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0], Buckets(hour.GetProperty("failures"), 12));

        turns = day.GetProperty("turns");
        Assert.Equal((3L, 1L, 2L, 1L), (Long(turns, "count"), Long(turns, "completed"), Long(turns, "failed"), Long(turns, "abandoned")));
        Assert.Equal((4000.0, 10000.0), (turns.GetProperty("p50Ms").GetDouble(), turns.GetProperty("p95Ms").GetDouble()));
        Assert.Equal(1, Buckets(turns, 24)[21]);
        Assert.Equal(2, Buckets(turns, 24)[23]);
        approvals = day.GetProperty("approvals");
        Assert.Equal((2L, 2L, 0.667), (Long(approvals, "requested"), Long(approvals, "decided"), approvals.GetProperty("perTurn").GetDouble()));
        Assert.Equal((60.0, 1800.0), (approvals.GetProperty("waitP50Seconds").GetDouble(), approvals.GetProperty("waitP95Seconds").GetDouble()));
        Assert.Equal(new Dictionary<string, long> { ["arguments"] = 1, ["kill-switch"] = 1, ["unknown"] = 1 }, Counts(day.GetProperty("denials"), "byStage"));
        Assert.Equal(1, Buckets(day.GetProperty("denials"), 24)[19]);
        Assert.Equal(1L, Long(day.GetProperty("failures"), "total"));
    }

    /// <summary>Runs the big refund to its approval and has bob decide it; returns the decided request.</summary>
    private static async Task<JsonElement> DecideAsync(HttpClient alice, HttpClient bob, bool approve)
    {
        await using var stream = await EventStream.SendAsync(alice, await alice.NewConversationAsync(), BigRefund);
        var approvalId = (await stream.ReadUntilAsync("approval.pending"))!.Value.GetProperty("approvalId").GetString();
        var decided = await bob.PostJsonAsync($"/api/approvals/{approvalId}/decision", new { approve, comment = approve ? "duplicate confirmed" : "not a duplicate" });
        Assert.NotNull(await stream.ReadUntilAsync("turn.completed"));
        return decided;
    }

    private static long Long(JsonElement figures, string name) => figures.GetProperty(name).GetInt64();

    private static List<long> Buckets(JsonElement figures, int expected)
    {
        var buckets = figures.GetProperty("buckets").EnumerateArray().Select(b => b.GetInt64()).ToList();
        Assert.Equal(expected, buckets.Count);
        return buckets;
    }

    private static Dictionary<string, long> Counts(JsonElement figures, string name) =>
        figures.GetProperty(name).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
}
