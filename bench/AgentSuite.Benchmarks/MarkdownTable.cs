using System.Text;

namespace AgentSuite.Benchmarks;

/// <summary>A Markdown table with padded columns; columns whose header ends in ':' are right-aligned (numbers).</summary>
internal sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public MarkdownTable Add(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"Expected {headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        _rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var right = headers.Select(h => h.EndsWith(':')).ToArray();
        var titles = headers.Select(h => h.TrimEnd(':')).ToArray();
        var widths = titles.Select((t, i) => Math.Max(3, _rows.Select(r => r[i].Length).Append(t.Length).Max())).ToArray();
        var text = new StringBuilder();
        Line(text, titles, widths, right);
        text.Append('|');
        for (var i = 0; i < widths.Length; i++)
        {
            text.Append(' ').Append(new string('-', widths[i] - 1)).Append(right[i] ? ':' : '-').Append(" |");
        }

        text.AppendLine();
        foreach (var row in _rows)
        {
            Line(text, row, widths, right);
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string[] cells, int[] widths, bool[] right)
    {
        text.Append('|');
        for (var i = 0; i < cells.Length; i++)
        {
            text.Append(' ').Append(right[i] ? cells[i].PadLeft(widths[i]) : cells[i].PadRight(widths[i])).Append(" |");
        }

        text.AppendLine();
    }
}
