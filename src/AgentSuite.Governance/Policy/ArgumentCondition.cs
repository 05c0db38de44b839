using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentSuite.Governance.Policy;

/// <summary>The three-valued result of a condition; <see cref="Unknown"/> means "cannot prove either way".</summary>
public enum ConditionValue { False, True, Unknown }

/// <summary>
/// A condition over a tool call's JSON arguments, e.g. <c>amount &lt;= 500 and currency in ['USD', 'EUR']</c>, using
/// three-valued logic: an ordering or match over a missing or mistyped argument yields <see cref="ConditionValue.Unknown"/>,
/// never a guess (equality across JSON types is simply false, and a missing argument equals <c>null</c>).
/// </summary>
public sealed class ArgumentCondition
{
    private const int MaxLength = 1000;
    private const int MaxDepth = 32;
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly Evaluator _evaluate;

    private ArgumentCondition(string text, Evaluator evaluate, IReadOnlyList<string> argumentNames) =>
        (Text, _evaluate, ArgumentNames) = (text, evaluate, argumentNames);

    private delegate ConditionValue Evaluator(JsonElement arguments);

    private enum Operator { Equal, NotEqual, Greater, GreaterOrEqual, Less, LessOrEqual }

    public string Text { get; }

    /// <summary>Distinct top-level argument names the condition reads, in order of first appearance.</summary>
    public IReadOnlyList<string> ArgumentNames { get; }

    /// <summary>Parses a condition; throws <see cref="FormatException"/> naming the 1-based position and what was expected.</summary>
    public static ArgumentCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                $"Condition '{text[..40]}…' is too long: {text.Length} characters, at most {MaxLength} are allowed."));
        }
        var parser = new Parser(text);
        var evaluate = parser.ParseCondition();
        return new ArgumentCondition(text, evaluate, parser.Names.AsReadOnly());
    }

    /// <summary>Evaluates against the tool call's arguments (a JSON object); never throws for any JSON input.</summary>
    public ConditionValue Evaluate(JsonElement arguments) => _evaluate(arguments);

    public override string ToString() => Text;

    // Evaluators are closures built once by the parser over immutable state, so evaluation is thread-safe.
    // Combine serves "and" (decisive False), "or" and "in" (decisive True): the decisive value beats Unknown, Unknown beats the other.
    private static Evaluator Combine(Evaluator[] operands, ConditionValue decisive) => arguments =>
    {
        var result = Negate(decisive);
        foreach (var operand in operands)
        {
            var value = operand(arguments);
            if (value == decisive) return decisive;
            if (value == ConditionValue.Unknown) result = ConditionValue.Unknown;
        }
        return result;
    };

    // Only a real JSON boolean counts; "yes", 1 or a missing flag cannot prove anything.
    private static Evaluator IsTrue(PathStep[] path) => arguments =>
        !TryResolve(path, arguments, out var value) ? ConditionValue.Unknown : value.ValueKind switch
        {
            JsonValueKind.True => ConditionValue.True,
            JsonValueKind.False => ConditionValue.False,
            _ => ConditionValue.Unknown,
        };

    private static Evaluator Compare(PathStep[] path, Operator op, Literal literal) => arguments =>
    {
        var found = TryResolve(path, arguments, out var value);
        if (op == Operator.Equal) return AreEqual(found, value, literal);
        if (op == Operator.NotEqual) return Negate(AreEqual(found, value, literal));
        if (!found || value.ValueKind != literal.Kind) return ConditionValue.Unknown;

        var order = literal.Kind switch
        {
            JsonValueKind.Number => CompareNumbers(value, literal),
            JsonValueKind.String when TryGetString(value) is { } s => string.CompareOrdinal(s, literal.Text),
            _ => null, // booleans and null have no order
        };
        return order is not { } c ? ConditionValue.Unknown : FromBool(op switch
        {
            Operator.Greater => c > 0,
            Operator.GreaterOrEqual => c >= 0,
            Operator.Less => c < 0,
            _ => c <= 0,
        });
    };

    private static Evaluator Matches(PathStep[] path, Regex regex) => arguments =>
    {
        if (!TryResolve(path, arguments, out var value) || value.ValueKind != JsonValueKind.String) return ConditionValue.Unknown;
        if (TryGetString(value) is not { } s) return ConditionValue.Unknown;
        try { return FromBool(regex.IsMatch(s)); }
        catch (RegexMatchTimeoutException) { return ConditionValue.Unknown; }
    };

    private static ConditionValue AreEqual(bool found, JsonElement value, Literal literal)
    {
        // Absent and JSON null mean the same to a policy author: "no value was given".
        if (literal.Kind == JsonValueKind.Null) return FromBool(!found || value.ValueKind == JsonValueKind.Null);
        if (!found) return ConditionValue.Unknown;
        if (value.ValueKind != literal.Kind && !(IsBoolean(value.ValueKind) && IsBoolean(literal.Kind))) return ConditionValue.False;
        return literal.Kind switch
        {
            JsonValueKind.Number => CompareNumbers(value, literal) is { } c ? FromBool(c == 0) : ConditionValue.Unknown,
            JsonValueKind.String => TextEquals(value, literal.Text),
            _ => FromBool(value.ValueKind == literal.Kind),
        };
    }

    private static int? CompareNumbers(JsonElement value, Literal literal)
    {
        // Decimal keeps big integers and long fractions exact (as doubles 9007199254740993 == 9007199254740992);
        // double is only the fallback beyond decimal's range.
        if (literal.Decimal is { } d && value.TryGetDecimal(out var m)) return m.CompareTo(d);
        return value.TryGetDouble(out var x) ? x.CompareTo(literal.Double) : null;
    }

    // JSON may legally carry escapes (a lone surrogate) that cannot become .NET text; such a value proves nothing.
    private static string? TryGetString(JsonElement value)
    {
        try { return value.GetString(); }
        catch (InvalidOperationException) { return null; }
    }

    // ValueEquals compares without allocating a string, which matters for long "in" lists.
    private static ConditionValue TextEquals(JsonElement value, string? text)
    {
        try { return FromBool(value.ValueEquals(text)); }
        catch (InvalidOperationException) { return ConditionValue.Unknown; }
    }

    private static bool TryResolve(PathStep[] path, JsonElement arguments, out JsonElement value)
    {
        value = arguments;
        foreach (var step in path)
        {
            if (step.Name is not null)
            {
                if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(step.Name, out var property)) return false;
                value = property;
            }
            else
            {
                if (value.ValueKind != JsonValueKind.Array || step.Index >= value.GetArrayLength()) return false;
                value = value[step.Index];
            }
        }
        return true;
    }

    private static ConditionValue FromBool(bool value) => value ? ConditionValue.True : ConditionValue.False;
    private static ConditionValue Negate(ConditionValue value) => value switch
    {
        ConditionValue.True => ConditionValue.False,
        ConditionValue.False => ConditionValue.True,
        _ => ConditionValue.Unknown,
    };

    private static bool IsBoolean(JsonValueKind kind) => kind is JsonValueKind.True or JsonValueKind.False;

    private sealed record Literal(JsonValueKind Kind, string? Text = null, decimal? Decimal = null, double Double = 0);
    private readonly record struct PathStep(string? Name, int Index);

    private sealed class Parser(string text)
    {
        private static readonly string[] ReservedWords = ["and", "or", "not", "in", "matches", "true", "false", "null"];

        // Two-character operators first so ">=" is not read as ">" followed by "=".
        private static readonly (string Symbol, Operator Op)[] Operators =
        [
            ("==", Operator.Equal), ("!=", Operator.NotEqual), (">=", Operator.GreaterOrEqual),
            ("<=", Operator.LessOrEqual), (">", Operator.Greater), ("<", Operator.Less),
        ];

        private int _pos;
        private int _depth;
        public List<string> Names { get; } = [];

        public Evaluator ParseCondition()
        {
            var root = ParseOr();
            SkipSpace();
            return _pos == text.Length ? root : throw Malformed("'and', 'or' or the end of the condition");
        }

        private Evaluator ParseOr() => ParseChain("or", "||", ParseAnd, ConditionValue.True);
        private Evaluator ParseAnd() => ParseChain("and", "&&", ParseUnary, ConditionValue.False);

        private Evaluator ParseChain(string word, string symbol, Func<Evaluator> parseOperand, ConditionValue decisive)
        {
            var first = parseOperand();
            List<Evaluator>? all = null;
            while (TryKeyword(word, symbol)) (all ??= [first]).Add(parseOperand());
            return all is null ? first : Combine([.. all], decisive);
        }

        private Evaluator ParseUnary()
        {
            SkipSpace();
            var start = _pos;
            var isNot = TryKeyword("not", "!");
            if (!isNot && !TryConsume("(")) return ParseComparison();
            if (++_depth > MaxDepth)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture,
                    $"Condition '{text}' is nested too deeply at position {start + 1}: at most {MaxDepth} levels of '(' and 'not' are allowed."));
            }
            var inner = isNot ? ParseUnary() : ParseOr();
            SkipSpace();
            if (!isNot && !TryConsume(")")) throw Malformed("'and', 'or' or ')'");
            _depth--;
            return isNot ? arguments => Negate(inner(arguments)) : inner;
        }

        private Evaluator ParseComparison()
        {
            var path = ParsePath();
            SkipSpace();
            foreach (var (symbol, op) in Operators)
            {
                if (TryConsume(symbol)) return Compare(path, op, ParseValue());
            }
            // "x in [a, b]" means exactly "x == a or x == b", including how a missing x meets null.
            if (TryKeyword("in")) return Combine(Array.ConvertAll(ParseList(), item => Compare(path, Operator.Equal, item)), ConditionValue.True);
            if (TryKeyword("matches")) return Matches(path, ParseRegex());
            if (_pos == text.Length || IsAt(")") || IsAt("&&") || IsAt("||") || IsWordAt("and") || IsWordAt("or")) return IsTrue(path);
            throw Malformed("a comparison operator, 'in' or 'matches'");
        }

        private PathStep[] ParsePath()
        {
            SkipSpace();
            var start = _pos;
            var name = ReadIdentifier("an argument name");
            if (Array.IndexOf(ReservedWords, name) >= 0) throw Malformed("an argument name", start);
            if (!Names.Contains(name)) Names.Add(name);

            var steps = new List<PathStep> { new(name, 0) };
            while (true)
            {
                SkipSpace();
                if (TryConsume("."))
                {
                    SkipSpace();
                    steps.Add(new PathStep(ReadIdentifier("a property name"), 0));
                }
                else if (TryConsume("["))
                {
                    SkipSpace();
                    var digits = ReadDigits("an array index");
                    if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                        throw Malformed("an array index", _pos - digits.Length);
                    SkipSpace();
                    steps.Add(TryConsume("]") ? new PathStep(null, index) : throw Malformed("']'"));
                }
                else return [.. steps];
            }
        }

        private Literal ParseValue()
        {
            SkipSpace();
            if (IsAt("'") || IsAt("\"")) return new Literal(JsonValueKind.String, ReadString());
            if (IsAt("-") || (_pos < text.Length && char.IsAsciiDigit(text[_pos]))) return ReadNumber();
            if (TryKeyword("true")) return new Literal(JsonValueKind.True);
            if (TryKeyword("false")) return new Literal(JsonValueKind.False);
            if (TryKeyword("null")) return new Literal(JsonValueKind.Null);
            throw Malformed("a value");
        }

        private Literal[] ParseList()
        {
            SkipSpace();
            if (!TryConsume("[")) throw Malformed("'['");
            var items = new List<Literal>();
            do
            {
                items.Add(ParseValue());
                SkipSpace();
            }
            while (TryConsume(","));
            return TryConsume("]") ? [.. items] : throw Malformed("',' or ']'");
        }

        private Regex ParseRegex()
        {
            SkipSpace();
            var start = _pos;
            if (!IsAt("'") && !IsAt("\"")) throw Malformed("a quoted regular expression");
            var pattern = ReadString();
            try { return new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout); }
            catch (ArgumentException ex) { throw new FormatException(Message(start, $"a valid regular expression ({ex.Message})"), ex); }
        }

        private string ReadString()
        {
            var quote = text[_pos++];
            var value = new StringBuilder();
            while (true)
            {
                if (_pos == text.Length) throw Malformed(quote == '"' ? "a closing double quote" : "a closing quote");
                var c = text[_pos++];
                if (c == quote) return value.ToString();
                // Only \<quote> and \\ are escapes; any other backslash is kept so regexes like '\d+' read naturally.
                if (c == '\\' && _pos < text.Length && (text[_pos] == quote || text[_pos] == '\\')) c = text[_pos++];
                value.Append(c);
            }
        }

        private Literal ReadNumber()
        {
            var start = _pos;
            TryConsume("-");
            ReadDigits("a digit");
            if (TryConsume(".")) ReadDigits("a digit");
            if (TryConsume("e") || TryConsume("E"))
            {
                if (!TryConsume("+")) TryConsume("-");
                ReadDigits("a digit");
            }
            if (_pos < text.Length && IsIdentifierChar(text[_pos])) throw Malformed("a digit or the end of the number");

            var span = text.AsSpan(start, _pos - start);
            var number = double.Parse(span, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!double.IsFinite(number)) throw Malformed("a number within range", start);
            decimal? exact = decimal.TryParse(span, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
            return new Literal(JsonValueKind.Number, Decimal: exact, Double: number);
        }

        private ReadOnlySpan<char> ReadDigits(string expected)
        {
            var start = _pos;
            while (_pos < text.Length && char.IsAsciiDigit(text[_pos])) _pos++;
            return _pos > start ? text.AsSpan(start, _pos - start) : throw Malformed(expected);
        }

        private string ReadIdentifier(string expected)
        {
            var start = _pos;
            if (!(_pos < text.Length && (char.IsAsciiLetter(text[_pos]) || text[_pos] == '_'))) throw Malformed(expected);
            while (_pos < text.Length && IsIdentifierChar(text[_pos])) _pos++;
            return text[start.._pos];
        }

        private bool TryKeyword(string word, string? symbol = null)
        {
            SkipSpace();
            // A lone "!" means "not", but "!=" is an operator.
            if (symbol is not null && !IsAt("!=") && TryConsume(symbol)) return true;
            return IsWordAt(word) && TryConsume(word);
        }

        private bool TryConsume(string token)
        {
            if (!IsAt(token)) return false;
            _pos += token.Length;
            return true;
        }

        private static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
        private bool IsAt(string token) => text.AsSpan(_pos).StartsWith(token, StringComparison.Ordinal);
        private bool IsWordAt(string word) => IsAt(word) && !(_pos + word.Length < text.Length && IsIdentifierChar(text[_pos + word.Length]));

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private FormatException Malformed(string expected, int? at = null) => new(Message(at ?? _pos, expected));

        private string Message(int at, string expected) => string.Create(CultureInfo.InvariantCulture,
            $"Condition '{text}' is malformed at position {at + 1}{(at >= text.Length ? " (end of text)" : "")}: expected {expected}");
    }
}
