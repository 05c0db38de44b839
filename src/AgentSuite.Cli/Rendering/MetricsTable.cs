using System.Globalization;
using AgentSuite.Cli.Api;
using Spectre.Console;
using static AgentSuite.Cli.Rendering.Display;

namespace AgentSuite.Cli.Rendering;

/// <summary>The operations figures as one table: a row per figure, a column per window, each count with its trend.</summary>
public static class MetricsTable
{
    private const string Bars = "▁▂▃▄▅▆▇█";

    public static void Render(IAnsiConsole console, OperationsMetrics metrics)
    {
        var windows = metrics.Windows;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("");
        foreach (var w in windows)
        {
            table.AddColumn($"last {Escape(w.Window)} [grey]({w.BucketSeconds / 60} min buckets)[/]");
        }

        Row(table, "Turns", windows, w => $"{w.Turns.Count}  [grey]{Spark(w.Turns.Buckets)}[/]");
        Row(table, "  completed / failed", windows, w => $"{w.Turns.Completed} / {w.Turns.Failed}");
        Row(table, "  duration p50 / p95", windows, w => $"{Duration(w.Turns.P50Ms / 1000)} / {Duration(w.Turns.P95Ms / 1000)}");
        Row(table, "Approvals requested", windows, w => $"{w.Approvals.Requested}  [grey]{Spark(w.Approvals.Buckets)}[/]");
        Row(table, "  per turn", windows, w => Number(w.Approvals.PerTurn));
        Row(table, "  wait p50 / p95", windows, w => $"{Duration(w.Approvals.WaitP50Seconds)} / {Duration(w.Approvals.WaitP95Seconds)}");
        Row(table, "Denials", windows, w => $"{w.Denials.Total}  [grey]{Spark(w.Denials.Buckets)}[/]");
        Row(table, "  by stage", windows, w => Breakdown(w.Denials.ByStage));
        Row(table, "Failures", windows, w => $"{w.Failures.Total}  [grey]{Spark(w.Failures.Buckets)}[/]");
        Row(table, "  by tool", windows, w => Breakdown(w.Failures.ByTool));
        console.Write(table);
        var end = windows.Count > 0 ? windows[0].To : metrics.GeneratedAt;
        console.MarkupLine($"[grey]Up to {Time(end)}, from the audit and the turn store (docs/observability.md defines each figure).[/]");
    }

    /// <summary>One bar per bucket, oldest first, scaled to the window's largest bucket; a dot where nothing happened.</summary>
    public static string Spark(IReadOnlyList<long> buckets)
    {
        var top = buckets.Count == 0 ? 0 : buckets.Max();
        return string.Concat(buckets.Select(b => b == 0 ? '·' : Bars[(int)Math.Ceiling((double)b / top * Bars.Length) - 1]));
    }

    private static void Row(Table table, string label, IReadOnlyList<OperationsWindow> windows, Func<OperationsWindow, string> cell) =>
        table.AddRow([label, .. windows.Select(cell)]);

    private static string Duration(double? seconds) => seconds switch
    {
        null => "-",
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:0} ms"),
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.#} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.#} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.#} h"),
    };

    private static string Number(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "-";

    private static string Breakdown(IReadOnlyDictionary<string, long>? counts) =>
        counts is { Count: > 0 } c ? Escape(string.Join(", ", c.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))) : "-";
}
