using System.Text;
using System.Text.Json;

namespace AgentSuite.Models;

/// <summary>Text with <c>{{...}}</c> placeholders, parsed once when the script loads and rendered on every model call.</summary>
internal sealed class Template
{
    private readonly IReadOnlyList<object> _parts;

    private Template(string source, IReadOnlyList<object> parts)
    {
        Source = source;
        _parts = parts;
    }

    public string Source { get; }

    public IEnumerable<TemplateExpression> Expressions => _parts.OfType<TemplateExpression>();

    /// <exception cref="FormatException">A placeholder is unclosed or not understood; the message says which.</exception>
    public static Template Parse(string source)
    {
        var parts = new List<object>();
        var at = 0;
        while (at < source.Length)
        {
            var open = source.IndexOf("{{", at, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(source[at..]);
                break;
            }

            var close = source.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"'{{{{' at character {open + 1} is not closed with '}}}}'.");
            }

            if (open > at)
            {
                parts.Add(source[at..open]);
            }

            parts.Add(TemplateExpression.Parse(source[(open + 2)..close]));
            at = close + 2;
        }

        return new Template(source, parts);
    }

    public string Render(TemplateScope scope)
    {
        var text = new StringBuilder();
        foreach (var part in _parts)
        {
            text.Append(part is TemplateExpression expression ? JsonText.ToText(expression.Evaluate(scope)) : (string)part);
        }

        return text.ToString();
    }

    /// <summary>A template that is exactly one placeholder keeps the value's JSON type (a number stays a number); anything else is text.</summary>
    public JsonElement Evaluate(TemplateScope scope) =>
        _parts is [TemplateExpression only] ? only.Evaluate(scope) : JsonText.String(Render(scope));
}
