namespace AgentSuite.Governance.Configuration;

/// <summary>
/// A glob over <c>server/tool</c>: <c>*</c> matches any run of characters (including '/'), <c>?</c> exactly one.
/// Matching is case-sensitive, because MCP tool names are.
/// </summary>
public sealed class ToolPattern
{
    private ToolPattern(string text) => Text = text;

    public string Text { get; }

    public static ToolPattern Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("A tool pattern is empty; use '*' for every tool or 'server/*' for one server's tools.");
        }

        if (text.Any(char.IsWhiteSpace))
        {
            throw new FormatException($"Tool pattern '{text}' contains white space.");
        }

        return new ToolPattern(text);
    }

    public bool IsMatch(string key) => Match(Text.AsSpan(), key.AsSpan());

    public override string ToString() => Text;

    private static bool Match(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text)
    {
        // Iterative glob with single-star backtracking: linear in practice, no regex, no allocation.
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
