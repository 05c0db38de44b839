namespace AgentSuite.Cli.Rendering;

/// <summary>
/// A line diff (longest common subsequence): each line of either text, kept, removed or added, in order. The common
/// first and last lines are kept as they are; a middle whose table would exceed <see cref="MaxCells"/> is shown as all
/// of the old removed and all of the new added, since the definitions come from a server that need not be trusted.
/// </summary>
public static class LineDiff
{
    public const long MaxCells = 1_000_000;

    public static IReadOnlyList<(char Change, string Line)> Compute(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        var head = 0;
        while (head < before.Count && head < after.Count && before[head] == after[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < before.Count - head && tail < after.Count - head && before[^(tail + 1)] == after[^(tail + 1)])
        {
            tail++;
        }

        var lines = new List<(char, string)>(before.Count + after.Count);
        for (var i = 0; i < head; i++)
        {
            lines.Add((' ', before[i]));
        }

        var oldMiddle = Slice(before, head, before.Count - tail);
        var newMiddle = Slice(after, head, after.Count - tail);
        if ((long)oldMiddle.Length * newMiddle.Length > MaxCells)
        {
            lines.AddRange(oldMiddle.Select(l => ('-', l)));
            lines.AddRange(newMiddle.Select(l => ('+', l)));
        }
        else
        {
            Middle(oldMiddle, newMiddle, lines);
        }

        for (var i = before.Count - tail; i < before.Count; i++)
        {
            lines.Add((' ', before[i]));
        }

        return lines;
    }

    private static void Middle(string[] before, string[] after, List<(char, string)> lines)
    {
        // common[i, j]: the longest common run of before[i..] and after[j..]; MaxCells bounds its size.
        var common = new int[before.Length + 1, after.Length + 1];
        for (var i = before.Length - 1; i >= 0; i--)
        {
            for (var j = after.Length - 1; j >= 0; j--)
            {
                common[i, j] = before[i] == after[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        int b = 0, a = 0;
        while (b < before.Length || a < after.Length)
        {
            if (b < before.Length && a < after.Length && before[b] == after[a])
            {
                lines.Add((' ', before[b++]));
                a++;
            }
            else if (b < before.Length && (a == after.Length || common[b + 1, a] >= common[b, a + 1]))
            {
                lines.Add(('-', before[b++]));
            }
            else
            {
                lines.Add(('+', after[a++]));
            }
        }
    }

    private static string[] Slice(IReadOnlyList<string> lines, int from, int to)
    {
        var slice = new string[to - from];
        for (var i = from; i < to; i++)
        {
            slice[i - from] = lines[i];
        }

        return slice;
    }
}
