// Thin stand-in for the JsonSchema.Net package, which does not restore here: validates tool arguments against a tool's input schema.
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentSuite.Governance.Policy;

/// <summary>
/// Validates JSON against the subset of JSON Schema that tool input schemas use; unsupported keywords
/// (format, title, default, ...) are ignored and $ref must point inside the schema.
/// </summary>
public static class JsonSchemaValidator
{
    // Every step into a subschema or through a $ref counts, so a $ref cycle ends in an error, not a stack overflow.
    private const int MaxDepth = 64;
    private const int MaxShownChars = 40;
    private const int MaxShownItems = 10;
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Validates instance against schema; returns an empty list when valid, else up to maxErrors messages.</summary>
    public static IReadOnlyList<string> Validate(JsonElement schema, JsonElement instance, int maxErrors = 8)
    {
        if (schema.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
            return ["schema is not a JSON object"];
        if (instance.ValueKind == JsonValueKind.Undefined)
            return ["$: no value was given"];

        // A cap below one would report an invalid instance as valid.
        var run = new Run(schema, Math.Max(1, maxErrors), new Shared());
        run.Check(schema, instance, "$", 0);
        if (run.Shared.DepthExceededAt is { } at)
            return [$"{at}: schema nesting is deeper than {MaxDepth} levels (is there a $ref cycle?); validation stopped"];
        return run.Errors;
    }

    private sealed class Shared { public string? DepthExceededAt; }

    private sealed class Run(JsonElement root, int maxErrors, Shared shared)
    {
        public List<string> Errors { get; } = [];
        public Shared Shared => shared;
        private bool Stopped => Errors.Count >= maxErrors || shared.DepthExceededAt is not null;

        public void Check(JsonElement schema, JsonElement value, string path, int depth)
        {
            if (Stopped)
                return;
            if (depth > MaxDepth)
            {
                shared.DepthExceededAt = path;
                return;
            }
            if (schema.ValueKind == JsonValueKind.True)
                return;
            if (schema.ValueKind != JsonValueKind.Object)
            {
                Add(path, schema.ValueKind == JsonValueKind.False ? "no value is allowed here (the schema is false)" : "schema is not a JSON object");
                return;
            }

            if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String)
            {
                var target = reference.GetString()!;
                if (TryResolve(target, out var resolved))
                    Check(resolved, value, path, depth + 1);
                else
                    Add(path, $"cannot resolve $ref {Quote(target)} (only local references such as #/$defs/Name are supported)");
            }
            CheckType(schema, value, path);
            if (schema.TryGetProperty("enum", out var options) && options.ValueKind == JsonValueKind.Array
                && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
                Add(path, $"{Show(value)} is not one of {ShowList(options)}");
            if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
                Add(path, $"expected {Show(constant)}, found {Show(value)}");
            CheckCombinators(schema, value, path, depth);

            switch (value.ValueKind)
            {
                case JsonValueKind.Object: CheckObject(schema, value, path, depth); break;
                case JsonValueKind.Array: CheckArray(schema, value, path, depth); break;
                case JsonValueKind.String: CheckString(schema, value.GetString()!, path); break;
                case JsonValueKind.Number: CheckNumber(schema, value, path); break;
            }
        }

        private void CheckType(JsonElement schema, JsonElement value, string path)
        {
            if (!schema.TryGetProperty("type", out var type))
                return;
            string[] names = type.ValueKind switch
            {
                JsonValueKind.String => [type.GetString()!],
                JsonValueKind.Array => [.. type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!)],
                _ => [],
            };
            if (names.Length == 0 || names.Any(n => HasType(value, n)))
                return;
            var expected = names.Length == 1 ? names[0] : $"{string.Join(", ", names[..^1])} or {names[^1]}";
            var found = value.ValueKind == JsonValueKind.Number ? $"number {Show(value)}" : KindName(value);
            Add(path, $"expected {expected}, found {found}");
        }

        private void CheckCombinators(JsonElement schema, JsonElement value, string path, int depth)
        {
            if (schema.TryGetProperty("allOf", out var allOf) && allOf.ValueKind == JsonValueKind.Array)
            {
                foreach (var branch in allOf.EnumerateArray())
                    Check(branch, value, path, depth + 1);
            }
            if (schema.TryGetProperty("anyOf", out var anyOf) && anyOf.ValueKind == JsonValueKind.Array)
            {
                var failures = new List<string>();
                if (!anyOf.EnumerateArray().Any(b => Matches(b, value, path, depth, failures)) && !Stopped)
                    Add(path, $"does not match any of the anyOf alternatives ({Describe(failures)})");
            }
            if (schema.TryGetProperty("oneOf", out var oneOf) && oneOf.ValueKind == JsonValueKind.Array)
            {
                var failures = new List<string>();
                var matched = oneOf.EnumerateArray().Select((b, i) => (i, ok: Matches(b, value, path, depth, failures)))
                    .Where(r => r.ok).Select(r => r.i + 1).ToList();
                if (Stopped)
                    return;
                if (matched.Count == 0)
                    Add(path, $"does not match any of the oneOf alternatives ({Describe(failures)})");
                else if (matched.Count > 1)
                    Add(path, $"matches oneOf alternatives {string.Join(" and ", matched)}, but must match exactly one");
            }
            if (schema.TryGetProperty("not", out var not) && Matches(not, value, path, depth, []) && !Stopped)
                Add(path, "must not match the schema under 'not'");
        }

        private void CheckObject(JsonElement schema, JsonElement value, string path, int depth)
        {
            if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
            {
                foreach (var name in required.EnumerateArray())
                {
                    if (name.ValueKind == JsonValueKind.String && !value.TryGetProperty(name.GetString()!, out _))
                        Add(path, $"missing required property '{Shorten(name.GetString()!)}'");
                }
            }
            var hasProperties = schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object;
            var hasPatterns = schema.TryGetProperty("patternProperties", out var patterns) && patterns.ValueKind == JsonValueKind.Object;
            var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
            foreach (var property in value.EnumerateObject())
            {
                if (Stopped)
                    return;
                var childPath = Child(path, property.Name);
                var known = false;
                if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
                {
                    known = true;
                    Check(propertySchema, property.Value, childPath, depth + 1);
                }
                foreach (var pattern in hasPatterns ? patterns.EnumerateObject().ToList() : [])
                {
                    var match = IsMatch(pattern.Name, property.Name, childPath);
                    // An unusable pattern is already reported; calling the property unknown would report it twice.
                    known |= match is not false;
                    if (match is true)
                        Check(pattern.Value, property.Value, childPath, depth + 1);
                }
                if (known || !hasAdditional)
                    continue;
                if (additional.ValueKind == JsonValueKind.False)
                {
                    var allowed = hasProperties ? string.Join(", ", properties.EnumerateObject().Select(p => Shorten(p.Name))) : "";
                    Add(path, $"property '{Shorten(property.Name)}' is not allowed{(allowed.Length > 0 ? $" (allowed: {allowed})" : "")}");
                }
                else
                {
                    Check(additional, property.Value, childPath, depth + 1);
                }
            }
        }

        private void CheckArray(JsonElement schema, JsonElement value, string path, int depth)
        {
            var count = value.GetArrayLength();
            if (Count(schema, "minItems") is { } minItems && count < minItems)
                Add(path, $"expected at least {minItems} items, found {count}");
            if (Count(schema, "maxItems") is { } maxItems && count > maxItems)
                Add(path, $"expected at most {maxItems} items, found {count}");

            // The array form of "items" is the pre-2020 spelling of "prefixItems".
            schema.TryGetProperty("items", out var items);
            if (!schema.TryGetProperty("prefixItems", out var prefix) && items.ValueKind == JsonValueKind.Array)
                (prefix, items) = (items, default);
            var prefixLength = prefix.ValueKind == JsonValueKind.Array ? prefix.GetArrayLength() : 0;
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (index < prefixLength)
                    Check(prefix[index], item, $"{path}[{index}]", depth + 1);
                else if (items.ValueKind is JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False)
                    Check(items, item, $"{path}[{index}]", depth + 1);
                index++;
            }

            if (schema.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind == JsonValueKind.True)
            {
                for (var j = 1; j < count && !Stopped; j++)
                {
                    var i = Enumerable.Range(0, j).FirstOrDefault(k => JsonElement.DeepEquals(value[k], value[j]), -1);
                    if (i >= 0)
                        Add(path, $"items [{i}] and [{j}] are equal, but items must be unique");
                }
            }
        }

        private void CheckString(JsonElement schema, string text, string path)
        {
            // JSON Schema counts Unicode code points, so a surrogate pair is one character.
            var length = text.EnumerateRunes().Count();
            if (Count(schema, "minLength") is { } minLength && length < minLength)
                Add(path, $"expected at least {minLength} characters, found {length}");
            if (Count(schema, "maxLength") is { } maxLength && length > maxLength)
                Add(path, $"expected at most {maxLength} characters, found {length}");
            if (schema.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.String
                && IsMatch(pattern.GetString()!, text, path) is false)
                Add(path, $"{Quote(text)} does not match the pattern {Quote(pattern.GetString()!)}");
        }

        private void CheckNumber(JsonElement schema, JsonElement value, string path)
        {
            if (Bound(schema, "minimum") is { } minimum && Compare(value, minimum) < 0)
                Add(path, $"{Show(value)} is less than the minimum {Show(minimum)}");
            if (Bound(schema, "maximum") is { } maximum && Compare(value, maximum) > 0)
                Add(path, $"{Show(value)} is greater than the maximum {Show(maximum)}");
            if (Bound(schema, "exclusiveMinimum") is { } exclusiveMinimum && Compare(value, exclusiveMinimum) <= 0)
                Add(path, $"{Show(value)} is not greater than the exclusive minimum {Show(exclusiveMinimum)}");
            if (Bound(schema, "exclusiveMaximum") is { } exclusiveMaximum && Compare(value, exclusiveMaximum) >= 0)
                Add(path, $"{Show(value)} is not less than the exclusive maximum {Show(exclusiveMaximum)}");
            if (Bound(schema, "multipleOf") is { } step && !IsMultiple(value, step))
                Add(path, $"{Show(value)} is not a multiple of {Show(step)}");
        }

        // Runs a subschema on its own so its errors do not leak into this run; keeps its first error for the report.
        private bool Matches(JsonElement schema, JsonElement value, string path, int depth, List<string> failures)
        {
            var branch = new Run(root, 1, shared);
            branch.Check(schema, value, path, depth + 1);
            failures.AddRange(branch.Errors);
            return branch.Errors.Count == 0 && shared.DepthExceededAt is null;
        }

        // Null means the pattern could not be evaluated; that is already reported, so the value is rejected once.
        private bool? IsMatch(string pattern, string input, string path)
        {
            try
            {
                // ECMAScript mode keeps \d, \w and \s ASCII-only, as JSON Schema's ECMA-262 regexes do.
                return Regex.IsMatch(input, pattern, RegexOptions.ECMAScript, PatternTimeout);
            }
            catch (RegexMatchTimeoutException)
            {
                Add(path, $"the pattern {Quote(pattern)} took longer than {PatternTimeout.TotalMilliseconds} ms to evaluate, so the value is rejected");
            }
            catch (ArgumentException)
            {
                Add(path, $"the pattern {Quote(pattern)} is not a valid regular expression, so the value is rejected");
            }
            return null;
        }

        private bool TryResolve(string reference, out JsonElement target)
        {
            target = root;
            if (!reference.StartsWith('#'))
                return false;
            var pointer = Uri.UnescapeDataString(reference[1..]);
            if (pointer.Length == 0)
                return true;
            if (pointer[0] != '/')
                return false;
            foreach (var token in pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
            {
                if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty(token, out var child))
                    target = child;
                else if (target.ValueKind == JsonValueKind.Array && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < target.GetArrayLength())
                    target = target[i];
                else
                    return false;
            }
            return true;
        }

        private void Add(string path, string message)
        {
            if (Errors.Count < maxErrors)
                Errors.Add($"{path}: {message}");
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && IsInteger(value),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => false,
    };

    private static string KindName(JsonElement value) =>
        value.ValueKind is JsonValueKind.True or JsonValueKind.False ? "boolean" : value.ValueKind.ToString().ToLowerInvariant();

    private static long? Count(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var limit) && limit.ValueKind == JsonValueKind.Number && limit.TryGetInt64(out var n) ? n : null;

    private static JsonElement? Bound(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var bound) && bound.ValueKind == JsonValueKind.Number ? bound : null;

    private static bool IsInteger(JsonElement number) =>
        TryGetDecimal(number, out var d) ? decimal.Truncate(d) == d : ToDouble(number) is var x && (double.IsInfinity(x) || Math.Floor(x) == x);

    private static int Compare(JsonElement a, JsonElement b) =>
        TryGetDecimal(a, out var x) && TryGetDecimal(b, out var y) ? x.CompareTo(y) : ToDouble(a).CompareTo(ToDouble(b));

    private static bool IsMultiple(JsonElement value, JsonElement step)
    {
        if (TryGetDecimal(value, out var x) && TryGetDecimal(step, out var y))
            return y <= 0 || x % y == 0;
        var quotient = ToDouble(value) / ToDouble(step);
        return !double.IsFinite(quotient) || Math.Abs(quotient - Math.Round(quotient)) < 1e-9;
    }

    // decimal rounds magnitudes below 1e-28 to zero, which would make 1e-30 equal 0; such values use double.
    private static bool TryGetDecimal(JsonElement number, out decimal value) =>
        number.TryGetDecimal(out value) && (value != 0 || ToDouble(number) == 0);

    private static double ToDouble(JsonElement number) =>
        number.TryGetDouble(out var x) ? x : number.GetRawText().StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;

    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Quote(value.GetString()!),
        _ => Shorten(value.GetRawText()),
    };

    private static string ShowList(JsonElement values) =>
        $"[{string.Join(", ", values.EnumerateArray().Take(MaxShownItems).Select(Show))}{(values.GetArrayLength() > MaxShownItems ? ", ..." : "")}]";

    private static string Quote(string text) => $"\"{Shorten(text)}\"";

    // Keeps messages short and on one line whatever the model sent.
    private static string Shorten(string text)
    {
        var cut = text.Length <= MaxShownChars ? text : text[..(char.IsHighSurrogate(text[MaxShownChars - 1]) ? MaxShownChars - 1 : MaxShownChars)] + "...";
        return string.Concat(cut.Select(c => char.IsControl(c) ? ' ' : c));
    }

    private static string Describe(List<string> failures) =>
        failures.Count == 0 ? "no details" : string.Join("; ", failures.Take(3)) + (failures.Count > 3 ? "; ..." : "");

    private static string Child(string path, string name)
    {
        var plain = name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$');
        return plain ? $"{path}.{name}" : $"{path}['{Shorten(name).Replace("'", "\\'", StringComparison.Ordinal)}']";
    }
}
