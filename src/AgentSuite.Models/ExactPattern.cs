using System.Text;
using System.Text.RegularExpressions;

namespace AgentSuite.Models;

/// <summary>
/// A 'when' pattern that matches one text exactly, as replays write them: anchored, with every regex metacharacter
/// escaped. Spaces stay spaces, so the pattern reads like the message.
/// </summary>
internal static class ExactPattern
{
    private const string Start = @"\A";
    private const string End = @"\z";

    public static string For(string text)
    {
        var pattern = new StringBuilder(Start, text.Length + 8);
        foreach (var c in text)
        {
            pattern.Append(c switch
            {
                '\\' or '*' or '+' or '?' or '|' or '{' or '[' or '(' or ')' or '^' or '$' or '.' or '#' => "\\" + c,
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '\f' => @"\f",
                '\v' => @"\v",
                _ => c.ToString(),
            });
        }

        return pattern.Append(End).ToString();
    }

    /// <summary>The text a pattern written by <see cref="For"/> matches; false for any other pattern.</summary>
    public static bool TryRead(string pattern, out string text)
    {
        text = "";
        if (pattern.Length < Start.Length + End.Length || !pattern.StartsWith(Start, StringComparison.Ordinal) || !pattern.EndsWith(End, StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            text = Regex.Unescape(pattern[Start.Length..^End.Length]);
        }
        catch (ArgumentException)
        {
            return false;
        }

        return For(text) == pattern;
    }
}
