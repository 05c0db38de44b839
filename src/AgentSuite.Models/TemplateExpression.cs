using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentSuite.Models;

/// <summary>
/// What stands between <c>{{</c> and <c>}}</c>: a value (<c>user</c>, <c>agent</c>, <c>error</c>, <c>match.NAME</c>,
/// <c>result.PATH</c>, <c>results.TOOL.PATH</c>) with an optional <c>| default: TEXT</c>, or a quoted literal.
/// </summary>
internal sealed partial class TemplateExpression
{
    public static readonly IReadOnlyList<string> Roots = ["user", "agent", "match", "result", "results", "error"];

    private TemplateExpression(string source, string? root, IReadOnlyList<string> path, string? fallback, string? literal)
    {
        Source = source;
        Root = root;
        Path = path;
        Default = fallback;
        Literal = literal;
    }

    /// <summary>The expression as written, for messages.</summary>
    public string Source { get; }

    /// <summary>Null for a literal.</summary>
    public string? Root { get; }

    public IReadOnlyList<string> Path { get; }

    public string? Default { get; }

    public string? Literal { get; }

    public JsonElement Evaluate(TemplateScope scope)
    {
        if (Literal is not null)
        {
            return JsonText.String(Literal);
        }

        try
        {
            return scope.Resolve(this);
        }
        catch (MissingValueException) when (Default is not null)
        {
            return JsonText.String(Default);
        }
    }

    /// <exception cref="FormatException">The expression is not one the mock understands; the message says why.</exception>
    public static TemplateExpression Parse(string source)
    {
        var text = source.Trim();
        if (text.Length == 0)
        {
            throw new FormatException("'{{}}' is empty; write a value such as {{user}} or {{result.amount}}.");
        }

        if (text[0] is '"' or '\'')
        {
            return new TemplateExpression(text, null, [], null, Unquote(text, source));
        }

        string? fallback = null;
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        if (bar >= 0)
        {
            var filter = text[(bar + 1)..].Trim();
            if (!filter.StartsWith("default:", StringComparison.Ordinal))
            {
                throw new FormatException($"'{{{{{source}}}}}' uses '| {filter}'; the only filter is '| default: TEXT'.");
            }

            var value = filter["default:".Length..].Trim();
            fallback = value.Length > 0 && value[0] is '"' or '\'' ? Unquote(value, source) : value;
            text = text[..bar].Trim();
        }

        var parts = text.Split('.');
        if (parts.Any(p => !Segment().IsMatch(p)))
        {
            throw new FormatException($"'{{{{{source}}}}}' is not a value: write names and array indices separated by dots, e.g. {{{{result.charges.1.amount}}}}.");
        }

        var root = parts[0];
        var path = parts[1..];
        var problem = root switch
        {
            "user" or "agent" or "error" when path.Length > 0 => $"{{{{{root}}}}} is text and has no parts; write {{{{{root}}}}}.",
            "match" when path.Length != 1 => "write {{match.NAME}} or {{match.1}}: one group name or number.",
            "results" when path.Length == 0 => "write {{results.TOOL}} or {{results.TOOL.PATH}}, naming the tool whose latest result you mean.",
            "user" or "agent" or "error" or "match" or "result" or "results" => null,
            _ => $"'{root}' is not a value the mock knows; use one of {string.Join(", ", Roots)}.",
        };
        return problem is null
            ? new TemplateExpression(source.Trim(), root, path, fallback, null)
            : throw new FormatException($"'{{{{{source}}}}}': {problem}");
    }

    private static string Unquote(string text, string source)
    {
        var quote = text[0];
        if (text.Length < 2 || text[^1] != quote)
        {
            throw new FormatException($"'{{{{{source}}}}}' has an unclosed {quote} quote.");
        }

        return text[1..^1].Replace("\\" + quote, quote.ToString(), StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_\-]+$")]
    private static partial Regex Segment();
}
