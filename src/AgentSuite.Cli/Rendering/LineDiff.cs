namespace AgentSuite.Cli.Rendering;

/// <summary>A line diff (longest common subsequence): each line of either text, kept, removed or added, in order.</summary>
public static class LineDiff
{
    public static IReadOnlyList<(char Change, string Line)> Compute(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        // common[i, j]: the longest common run of before[i..] and after[j..]; definitions are small, so the table is too.
        var common = new int[before.Count + 1, after.Count + 1];
        for (var i = before.Count - 1; i >= 0; i--)
        {
            for (var j = after.Count - 1; j >= 0; j--)
            {
                common[i, j] = before[i] == after[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var lines = new List<(char, string)>();
        int b = 0, a = 0;
        while (b < before.Count || a < after.Count)
        {
            if (b < before.Count && a < after.Count && before[b] == after[a])
            {
                lines.Add((' ', before[b++]));
                a++;
            }
            else if (b < before.Count && (a == after.Count || common[b + 1, a] >= common[b, a + 1]))
            {
                lines.Add(('-', before[b++]));
            }
            else
            {
                lines.Add(('+', after[a++]));
            }
        }

        return lines;
    }
}
