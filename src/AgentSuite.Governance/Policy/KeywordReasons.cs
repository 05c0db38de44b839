using System.Globalization;
using System.Text.Json;
using static AgentSuite.Governance.Policy.ShownValue;

namespace AgentSuite.Governance.Policy;

/// <summary>
/// One denial reason per failed keyword, written from the value and the schema: it names the field and the rule and
/// shows values only through <see cref="ShownValue"/>. The library's own messages are not used, since they quote values.
/// </summary>
internal static class KeywordReasons
{
    public static IEnumerable<string> For(string keyword, string path, JsonElement value, JsonElement schema, int containsMatches)
    {
        var rule = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(keyword, out var found) ? found : default;
        switch (keyword)
        {
            case "type":
                yield return $"{path}: expected type {Types(rule)}, found {KindName(value)}";
                break;
            case "required":
                foreach (var name in Names(rule).Where(n => value.ValueKind == JsonValueKind.Object && !value.TryGetProperty(n, out _)))
                {
                    yield return $"{path}: missing required property '{Shorten(name)}'";
                }

                break;
            case "enum":
                yield return $"{path}: {Show(value)} is not one of the enum values {ShowList(rule)}";
                break;
            case "const":
                yield return $"{path}: expected the const value {Show(rule)}, found {Show(value)}";
                break;
            case "minimum":
                yield return $"{path}: {Show(value)} is less than the minimum {Show(rule)}";
                break;
            case "maximum":
                yield return $"{path}: {Show(value)} is greater than the maximum {Show(rule)}";
                break;
            case "exclusiveMinimum":
                yield return $"{path}: {Show(value)} is not greater than the exclusiveMinimum {Show(rule)}";
                break;
            case "exclusiveMaximum":
                yield return $"{path}: {Show(value)} is not less than the exclusiveMaximum {Show(rule)}";
                break;
            case "multipleOf":
                yield return $"{path}: {Show(value)} is not a multipleOf {Show(rule)}";
                break;
            case "minLength" or "maxLength":
                // JSON Schema counts Unicode code points, so a surrogate pair is one character.
                var length = value.ValueKind == JsonValueKind.String ? value.GetString()!.EnumerateRunes().Count() : 0;
                yield return $"{path}: expected {Bound(keyword)} {Show(rule)} characters ({keyword}), found {length}";
                break;
            case "pattern":
                yield return $"{path}: {Show(value)} does not match the pattern {Show(rule)}";
                break;
            case "minItems" or "maxItems":
                yield return $"{path}: expected {Bound(keyword)} {Show(rule)} items ({keyword}), found {Count(value)}";
                break;
            case "uniqueItems":
                yield return $"{path}: {Duplicate(value)}, but uniqueItems requires every item to differ";
                break;
            case "minProperties" or "maxProperties":
                yield return $"{path}: expected {Bound(keyword)} {Show(rule)} properties ({keyword}), found {Count(value)}";
                break;
            case "contains" or "minContains" or "maxContains":
                yield return Contains(path, schema, containsMatches);
                break;
            case "dependentRequired" or "dependencies":
                foreach (var reason in Dependencies(keyword, path, value, rule))
                {
                    yield return reason;
                }

                break;
            case "format":
                yield return $"{path}: {Show(value)} is not in the format {Show(rule)}";
                break;
            default:
                yield return $"{path}: does not satisfy the {Shorten(keyword)} rule";
                break;
        }
    }

    private static string Bound(string keyword) => keyword.StartsWith("min", StringComparison.Ordinal) ? "at least" : "at most";

    private static string Types(JsonElement rule)
    {
        var names = Names(rule).ToList();
        return names.Count switch
        {
            0 => Show(rule),
            1 => names[0],
            _ => $"{string.Join(", ", names[..^1])} or {names[^1]}",
        };
    }

    private static IEnumerable<string> Names(JsonElement rule) => rule.ValueKind switch
    {
        JsonValueKind.String => [rule.GetString()!],
        JsonValueKind.Array => rule.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!),
        _ => [],
    };

    private static int Count(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => value.GetArrayLength(),
        JsonValueKind.Object => value.EnumerateObject().Count(),
        _ => 0,
    };

    private static string Duplicate(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            for (var j = 1; j < value.GetArrayLength(); j++)
            {
                for (var i = 0; i < j; i++)
                {
                    if (JsonElement.DeepEquals(value[i], value[j]))
                    {
                        return string.Create(CultureInfo.InvariantCulture, $"items [{i}] and [{j}] are equal");
                    }
                }
            }
        }

        return "two items are equal";
    }

    private static string Contains(string path, JsonElement schema, int matches)
    {
        var least = Limit(schema, "minContains") ?? 1;
        var most = Limit(schema, "maxContains");
        return matches < least
            ? $"{path}: expected at least {least} items matching the contains schema (contains, minContains), found {matches}"
            : $"{path}: expected at most {most} items matching the contains schema (contains, maxContains), found {matches}";
    }

    private static long? Limit(JsonElement schema, string keyword) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty(keyword, out var limit) && limit.TryGetInt64(out var n) ? n : null;

    private static IEnumerable<string> Dependencies(string keyword, string path, JsonElement value, JsonElement rule)
    {
        if (rule.ValueKind != JsonValueKind.Object || value.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        // The schema form of "dependencies" is reported where its subschema failed.
        foreach (var dependency in rule.EnumerateObject().Where(d => d.Value.ValueKind == JsonValueKind.Array && value.TryGetProperty(d.Name, out _)))
        {
            foreach (var name in Names(dependency.Value).Where(n => !value.TryGetProperty(n, out _)))
            {
                yield return $"{path}: property '{Shorten(dependency.Name)}' requires property '{Shorten(name)}' ({keyword})";
            }
        }
    }
}
