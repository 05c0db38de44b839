using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentSuite.Governance.Screening;

/// <summary>Masks secret-looking values in tool results (text or JSON) before the model sees them. Immutable and thread-safe.</summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "[REDACTED]";

    private const int TimeoutMs = 500;
    private const RegexOptions Exact = RegexOptions.CultureInvariant;
    private const RegexOptions AnyCase = RegexOptions.CultureInvariant | RegexOptions.IgnoreCase;
    private const string SecretGroup = "secret";

    // Every built-in pattern needs one of these substrings, or 13+ digits for card numbers; text without them skips the regexes.
    private static readonly SearchValues<string> Triggers = SearchValues.Create(
        ["bearer", "sk-", "akia", "asia", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "eyj",
         "key", "pass", "pwd", "secret", "token", "authorization", "connection", "://"],
        StringComparison.OrdinalIgnoreCase);

    // Normalized (lower case, no '_' or '-'). Matched as suffixes so compound names (db_password, X-Api-Key) count too.
    private static readonly string[] SecretNameSuffixes =
        ["password", "passwd", "secret", "clientsecret", "apikey", "accesstoken", "refreshtoken",
         "authorization", "privatekey", "sshkey", "connectionstring"];

    // Bare "token" only matches exactly: next_page_token and friends must survive or agents cannot page.
    private const string ExactSecretName = "token";

    private static readonly Regex[] BuiltIns =
        [BearerToken, VendorToken, PemPrivateKey, SecretAssignment, ConnectionStringPassword, UrlCredentials];

    private readonly bool _useDefaults;
    private readonly Regex[] _extras;

    /// <param name="extraPatterns">Regexes from configuration; a group named <c>secret</c> limits the mask to that group.</param>
    /// <param name="useDefaults">Whether the built-in patterns and card-number detection apply.</param>
    /// <exception cref="ArgumentException">A pattern is empty or invalid; the message names it.</exception>
    public SecretRedactor(IEnumerable<string>? extraPatterns = null, bool useDefaults = true)
    {
        _useDefaults = useDefaults;
        var extras = new List<Regex>();
        foreach (var pattern in extraPatterns ?? [])
        {
            if (string.IsNullOrWhiteSpace(pattern)) throw new ArgumentException($"Redaction pattern '{pattern}' is empty.", nameof(extraPatterns));
            try { extras.Add(new Regex(pattern, Exact, TimeSpan.FromMilliseconds(TimeoutMs))); }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Redaction pattern '{pattern}' is not a valid regex: {ex.Message}", nameof(extraPatterns), ex);
            }
        }
        _extras = [.. extras];
    }

    /// <summary>Replaces every secret-looking span in <paramref name="text"/>; overlapping finds count once.</summary>
    public string Redact(string text, out int count)
    {
        ArgumentNullException.ThrowIfNull(text);
        count = 0;
        var runBuiltIns = _useDefaults && MayContainBuiltInSecret(text);
        if (!runBuiltIns && _extras.Length == 0) return text;
        var spans = new List<(int Start, int End)>();
        try
        {
            if (runBuiltIns)
            {
                foreach (var regex in BuiltIns)
                    AddMatches(regex, text, spans);
                AddCardNumbers(text, spans);
            }
            foreach (var regex in _extras)
                AddMatches(regex, text, spans);
        }
        catch (RegexMatchTimeoutException)
        {
            // Fail closed: text a pattern could not finish scanning may still hold a secret.
            count = 1;
            return Mask;
        }
        return spans.Count == 0 ? text : Apply(text, spans, out count);
    }

    /// <summary>
    /// Redacts every string (and card-like number) in the tree, and masks the whole value of secret-named properties.
    /// Objects and arrays are changed in place; a redacted scalar comes back as a new node.
    /// </summary>
    public JsonNode? Redact(JsonNode? node, ref int count)
    {
        switch (node)
        {
            case JsonObject obj:
                // Snapshot: assigning properties while enumerating the object would throw.
                foreach (var (name, child) in obj.ToList())
                {
                    if (IsSecretName(name))
                    {
                        if (child is JsonValue value && value.TryGetValue(out string? s) && s == Mask) continue;
                        obj[name] = Mask;
                        count++;
                        continue;
                    }
                    // Only new nodes are assigned back: re-assigning an attached node throws (JsonArray does).
                    var redacted = Redact(child, ref count);
                    if (!ReferenceEquals(redacted, child)) obj[name] = redacted;
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var redacted = Redact(array[i], ref count);
                    if (!ReferenceEquals(redacted, array[i])) array[i] = redacted;
                }
                return array;
            case JsonValue value:
                return RedactValue(value, ref count);
            default:
                return node;
        }
    }

    /// <summary>
    /// Writes <paramref name="element"/> with the same redaction as <see cref="Redact(JsonNode?, ref int)"/>, without
    /// building a node tree (the hot path of result screening and audited arguments).
    /// </summary>
    public void WriteRedacted(Utf8JsonWriter writer, JsonElement element, ref int count)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    writer.WritePropertyName(property.Name);
                    if (IsSecretName(property.Name) && !(property.Value.ValueKind == JsonValueKind.String && property.Value.ValueEquals(Mask)))
                    {
                        writer.WriteStringValue(Mask);
                        count++;
                    }
                    else
                    {
                        WriteRedacted(writer, property.Value, ref count);
                    }
                }

                writer.WriteEndObject();
                return;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteRedacted(writer, item, ref count);
                }

                writer.WriteEndArray();
                return;
            case JsonValueKind.String:
                var text = element.GetString()!;
                var redacted = Redact(text, out var found);
                count += found;
                writer.WriteStringValue(redacted);
                return;
            case JsonValueKind.Number when System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).Length >= 13:
                // Card numbers are often serialized as bare JSON numbers.
                var raw = element.GetRawText();
                var masked = Redact(raw, out var inNumber);
                count += inNumber;
                if (inNumber > 0)
                {
                    writer.WriteStringValue(masked);
                }
                else
                {
                    element.WriteTo(writer);
                }

                return;
            default:
                element.WriteTo(writer);
                return;
        }
    }

    private JsonValue RedactValue(JsonValue value, ref int count)
    {
        var text = value.GetValueKind() switch
        {
            // Values built from CLR types (Guid, DateTime, ...) only expose their string form through serialization.
            JsonValueKind.String => value.TryGetValue(out string? s) ? s : (string?)JsonNode.Parse(value.ToJsonString()),
            // Card numbers are often serialized as bare JSON numbers.
            JsonValueKind.Number => value.ToJsonString(),
            _ => null,
        };
        if (text is null) return value;
        var redacted = Redact(text, out var found);
        if (found == 0) return value;
        count += found;
        return JsonValue.Create(redacted);
    }

    private static bool IsSecretName(string name)
    {
        // Normalised on the stack: this runs for every property of every result and audited argument set.
        Span<char> buffer = name.Length <= 128 ? stackalloc char[name.Length] : new char[name.Length];
        var length = 0;
        foreach (var c in name)
        {
            if (c is not ('_' or '-'))
            {
                buffer[length++] = char.ToLowerInvariant(c);
            }
        }

        ReadOnlySpan<char> normalized = buffer[..length];
        if (normalized.SequenceEqual(ExactSecretName))
        {
            return true;
        }

        foreach (var suffix in SecretNameSuffixes)
        {
            if (normalized.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool MayContainBuiltInSecret(ReadOnlySpan<char> text)
    {
        if (text.ContainsAny(Triggers)) return true;
        var digits = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c) && ++digits >= 13) return true;
        }
        return false;
    }

    private static void AddMatches(Regex regex, string text, List<(int Start, int End)> spans)
    {
        for (var match = regex.Match(text); match.Success; match = match.NextMatch())
        {
            var secret = match.Groups[SecretGroup];
            var (start, length) = secret.Success ? (secret.Index, secret.Length) : (match.Index, match.Length);
            // Skipping existing masks keeps redaction idempotent, so re-screened text reports zero finds.
            if (length > 0 && !text.AsSpan(start, length).SequenceEqual(Mask))
                spans.Add((start, start + length));
        }
    }

    private static void AddCardNumbers(string text, List<(int Start, int End)> spans)
    {
        var groups = new List<(int Start, int End)>();
        for (var run = DigitRun.Match(text); run.Success; run = run.NextMatch())
        {
            groups.Clear();
            foreach (var range in text.AsSpan(run.Index, run.Length).SplitAny(" -"))
                groups.Add((run.Index + range.Start.Value, run.Index + range.End.Value));
            // A card can sit next to unrelated numbers ("ref 12 4111 1111 ..."), so try every whole-group window and keep the longest that passes.
            for (var first = 0; first < groups.Count; first++)
            {
                var (found, digits) = (-1, 0);
                for (var last = first; last < groups.Count; last++)
                {
                    // Printed cards group digits by 3-6; other groupings are dates, phone numbers, GUIDs and versions.
                    if (last > first && !(IsCardGroup(groups[first]) && IsCardGroup(groups[last]))) break;
                    if ((digits += groups[last].End - groups[last].Start) > 19) break;
                    if (digits >= 13 && PassesLuhn(text.AsSpan(groups[first].Start, groups[last].End - groups[first].Start)))
                        found = last;
                }
                if (found < 0) continue;
                spans.Add((groups[first].Start, groups[found].End));
                first = found;
            }
        }
    }

    private static bool IsCardGroup((int Start, int End) group) => group.End - group.Start is >= 3 and <= 6;

    private static bool PassesLuhn(ReadOnlySpan<char> candidate)
    {
        var (sum, doubled) = (0, false);
        for (var i = candidate.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(candidate[i])) continue;
            var digit = candidate[i] - '0';
            if (doubled && (digit *= 2) > 9) digit -= 9;
            sum += digit;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    private static string Apply(string text, List<(int Start, int End)> spans, out int count)
    {
        spans.Sort();
        var result = new StringBuilder(text.Length);
        var (position, i) = (0, 0);
        count = 0;
        while (i < spans.Count)
        {
            var (start, end) = spans[i++];
            while (i < spans.Count && spans[i].Start < end)
                end = Math.Max(end, spans[i++].End);
            result.Append(text, position, start - position).Append(Mask);
            position = end;
            count++;
        }
        return result.Append(text, position, text.Length - position).ToString();
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9])bearer[ \t]+(?<secret>[A-Za-z0-9\-._~+/]{8,}=*)", AnyCase, TimeoutMs)]
    private static partial Regex BearerToken { get; }

    // OpenAI keys, AWS access key ids, GitHub and Slack tokens, JWTs.
    [GeneratedRegex("""
        (?<![A-Za-z0-9_-])(?:
            sk-[A-Za-z0-9_-]{20,}
          | (?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])
          | gh[pousr]_[A-Za-z0-9]{20,} | github_pat_[A-Za-z0-9_]{20,}
          | xox[abprs]-[A-Za-z0-9-]{10,}
          | eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)
        """, Exact | RegexOptions.IgnorePatternWhitespace, TimeoutMs)]
    private static partial Regex VendorToken { get; }

    // A block cut off by output truncation still leaks the key, so a missing END masks to the end of the text.
    [GeneratedRegex(@"-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|\z)", Exact, TimeoutMs)]
    private static partial Regex PemPrivateKey { get; }

    // Mirrors IsSecretName: compound keys count, bare "token" must stand alone. "Bearer/Basic x" values are masked whole.
    [GeneratedRegex(
        """(?<![A-Za-z0-9_-])(?:[A-Za-z0-9_-]*?(?:passw(?:or)?d|secret|api[_-]?key|access[_-]?token|refresh[_-]?token|authorization|private[_-]?key|ssh[_-]?key|connection[_-]?string)|token)["']?[ \t]*[:=][ \t]*(?:"(?<secret>[^"\r\n]+)"|'(?<secret>[^'\r\n]+)'|(?<secret>(?:(?:bearer|basic|token)[ \t]+)?[^\s"',;&<>{}\[\]]+))""",
        AnyCase, TimeoutMs)]
    private static partial Regex SecretAssignment { get; }

    // Connection-string values may contain spaces, so inside a ';'-separated list they run to the next ';'.
    [GeneratedRegex(
        """(?<=;[ \t]*)(?:password|pwd)[ \t]*=[ \t]*(?<secret>"[^"]*"|'[^']*'|[^;\r\n]*[^;\s])|(?<![A-Za-z0-9_-])(?:password|pwd)[ \t]*=[ \t]*(?<secret>[^;\r\n"']*[^;\s"'])(?=[ \t]*;)""",
        AnyCase, TimeoutMs)]
    private static partial Regex ConnectionStringPassword { get; }

    [GeneratedRegex(@"://[^/\s:@]*:(?<secret>[^/\s@]+)@", Exact, TimeoutMs)]
    private static partial Regex UrlCredentials { get; }

    [GeneratedRegex(@"(?<![0-9])[0-9](?:[ -]?[0-9]){12,}", Exact, TimeoutMs)]
    private static partial Regex DigitRun { get; }
}
