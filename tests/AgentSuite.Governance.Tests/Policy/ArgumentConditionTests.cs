using System.Text.Json;
using AgentSuite.Governance.Policy;

namespace AgentSuite.Governance.Tests.Policy;

public class ArgumentConditionTests
{
    private static ConditionValue Evaluate(string condition, string argumentsJson)
    {
        using var document = JsonDocument.Parse(argumentsJson);
        return ArgumentCondition.Parse(condition).Evaluate(document.RootElement);
    }

    [Theory]
    [InlineData("amount > 100", """{"amount": 150}""", ConditionValue.True)]
    [InlineData("amount == 100", """{"amount": 100.0}""", ConditionValue.True)]
    [InlineData("id == 9007199254740993", """{"id": 9007199254740992}""", ConditionValue.False)]
    public void NumbersCompareNumerically(string condition, string json, ConditionValue expected) =>
        Assert.Equal(expected, Evaluate(condition, json));

    [Theory]
    [InlineData("amount > 100")]
    [InlineData("amount == 5")]
    public void MissingArgumentIsUnknownForComparisons(string condition) =>
        Assert.Equal(ConditionValue.Unknown, Evaluate(condition, """{"other": 1}"""));

    [Theory]
    [InlineData("amount == null", "{}", ConditionValue.True)]
    [InlineData("amount == null", """{"amount": null}""", ConditionValue.True)]
    public void MissingArgumentEqualsNull(string condition, string json, ConditionValue expected) =>
        Assert.Equal(expected, Evaluate(condition, json));

    [Theory]
    [InlineData("amount > 100", """{"amount": "150"}""", ConditionValue.Unknown)]
    [InlineData("amount == 100", """{"amount": "100"}""", ConditionValue.False)]
    public void StringNumberDoesNotCompareAsNumber(string condition, string json, ConditionValue expected) =>
        Assert.Equal(expected, Evaluate(condition, json));

    [Theory]
    [InlineData("name < 'a'", """{"name": "Zed"}""", ConditionValue.True)]
    [InlineData("dry_run > false", """{"dry_run": true}""", ConditionValue.Unknown)]
    public void OrderingIsOrdinalForStringsAndUnknownForBooleans(string condition, string json, ConditionValue expected) =>
        Assert.Equal(expected, Evaluate(condition, json));

    [Theory]
    [InlineData("""{"urgent": true}""", ConditionValue.True)]
    [InlineData("""{"urgent": "yes"}""", ConditionValue.Unknown)]
    public void BarePathIsTrueOnlyForBooleanTrue(string json, ConditionValue expected) =>
        Assert.Equal(expected, Evaluate("urgent", json));

    [Theory]
    [InlineData("f and u", ConditionValue.False)]
    [InlineData("t or u", ConditionValue.True)]
    [InlineData("not u", ConditionValue.Unknown)]
    [InlineData("t or f and u", ConditionValue.True)]
    [InlineData("!(t or f) || u", ConditionValue.Unknown)]
    public void AndOrFollowKleeneLogic(string condition, ConditionValue expected) =>
        Assert.Equal(expected, Evaluate(condition, """{"t": true, "f": false}"""));

    [Theory]
    [InlineData("order.total > 10", """{"order": {"total": 11}}""", ConditionValue.True)]
    [InlineData("items[1].max-qty == 2", """{"items": [{"max-qty": 1}, {"max-qty": 2}]}""", ConditionValue.True)]
    [InlineData("order.total > 10", """{"order": [11]}""", ConditionValue.Unknown)]
    public void NestedPathReadsObjectsAndArrays(string condition, string json, ConditionValue expected) =>
        Assert.Equal(expected, Evaluate(condition, json));

    [Theory]
    [InlineData("currency in ['USD', \"EUR\"]", """{"currency": "EUR"}""", ConditionValue.True)]
    [InlineData("currency in ['USD', 'EUR']", """{"currency": "GBP"}""", ConditionValue.False)]
    [InlineData("currency in ['USD']", "{}", ConditionValue.Unknown)]
    [InlineData("currency in ['USD', null]", "{}", ConditionValue.True)]
    public void InListMatchesAnyElement(string condition, string json, ConditionValue expected) =>
        Assert.Equal(expected, Evaluate(condition, json));

    [Theory]
    [InlineData("""{"email": "ann@example.com"}""", ConditionValue.True)]
    [InlineData("""{"email": 42}""", ConditionValue.Unknown)]
    public void MatchesUsesRegex(string json, ConditionValue expected) =>
        Assert.Equal(expected, Evaluate(@"email matches '^[a-z]+@example\.com$'", json));

    [Fact]
    public void RegexTimeoutIsUnknown()
    {
        var json = JsonSerializer.Serialize(new { text = new string('a', 60) + "!" });
        Assert.Equal(ConditionValue.Unknown, Evaluate("text matches '^(a|aa)+$'", json));
    }

    [Fact]
    public void InvalidRegexFailsAtParse()
    {
        var error = Assert.Throws<FormatException>(() => ArgumentCondition.Parse("name matches '(abc'"));
        Assert.StartsWith("Condition 'name matches '(abc'' is malformed at position 14: expected a valid regular expression", error.Message);
    }

    [Theory]
    [InlineData(@"name == 'it\'s'", """{"name": "it's"}""")]
    [InlineData(@"path == 'C:\temp'", """{"path": "C:\\temp"}""")]
    public void StringLiteralsUnescapeQuoteAndBackslashOnly(string condition, string json) =>
        Assert.Equal(ConditionValue.True, Evaluate(condition, json));

    [Theory]
    [InlineData("amount >> 5", "Condition 'amount >> 5' is malformed at position 9: expected a value")]
    [InlineData("amount = 5", "Condition 'amount = 5' is malformed at position 8: expected a comparison operator, 'in' or 'matches'")]
    [InlineData("(amount > 5", "Condition '(amount > 5' is malformed at position 12 (end of text): expected 'and', 'or' or ')'")]
    [InlineData("true", "Condition 'true' is malformed at position 1: expected an argument name")]
    public void MalformedConditionNamesPosition(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => ArgumentCondition.Parse(text)).Message);

    [Fact]
    public void TooDeepNestingIsRejected()
    {
        Assert.Equal(ConditionValue.True, Evaluate(new string('(', 32) + "ok" + new string(')', 32), """{"ok": true}"""));
        var error = Assert.Throws<FormatException>(() => ArgumentCondition.Parse(new string('(', 33) + "ok" + new string(')', 33)));
        Assert.Contains("nested too deeply at position 33", error.Message);
    }

    [Fact]
    public void TooLongTextIsRejected()
    {
        var condition = "amount > 1" + new string(' ', 990);
        Assert.Equal(1000, ArgumentCondition.Parse(condition).Text.Length);
        var error = Assert.Throws<FormatException>(() => ArgumentCondition.Parse(condition + " "));
        Assert.Contains("too long: 1001 characters", error.Message);
    }

    [Fact]
    public void ArgumentNamesListsTopLevelArguments()
    {
        var condition = ArgumentCondition.Parse("amount > 5 and (order.total < 3 or items[0].sku == 'x') and not flag and amount < 9");
        Assert.Equal(["amount", "order", "items", "flag"], condition.ArgumentNames);
        Assert.Equal("amount > 5 and (order.total < 3 or items[0].sku == 'x') and not flag and amount < 9", condition.ToString());
    }

    [Fact]
    public void NonObjectArgumentsReadAsMissing()
    {
        foreach (var json in new[] { "[1, 2]", "null", "\"amount\"" })
        {
            Assert.Equal(ConditionValue.Unknown, Evaluate("amount > 5", json));
            Assert.Equal(ConditionValue.True, Evaluate("amount == null", json));
        }
        Assert.Equal(ConditionValue.Unknown, ArgumentCondition.Parse("amount > 5").Evaluate(default));
    }

    [Fact]
    public void UnrepresentableJsonValuesDoNotThrow()
    {
        // 1e400 overflows decimal and double; as infinity it still orders above any finite limit.
        Assert.Equal(ConditionValue.False, Evaluate("amount <= 500", """{"amount": 1e400}"""));
        // A lone surrogate is valid JSON but not a readable string.
        Assert.Equal(ConditionValue.Unknown, Evaluate("name == 'x'", """{"name": "\uD800"}"""));
        Assert.Equal(ConditionValue.Unknown, Evaluate("name >= 'x'", """{"name": "\uD800"}"""));
        Assert.Equal(ConditionValue.Unknown, Evaluate("name matches 'x'", """{"name": "\uD800"}"""));
    }

    [Fact]
    public void EvaluateIsSafeAcrossThreads()
    {
        var condition = ArgumentCondition.Parse("amount <= 500 and currency in ['USD', 'EUR'] and memo matches '^[a-z ]*$'");
        using var document = JsonDocument.Parse("""{"amount": 250, "currency": "EUR", "memo": "rent"}""");
        var root = document.RootElement;
        var results = new ConditionValue[1000];
        Parallel.For(0, results.Length, i => results[i] = condition.Evaluate(root));
        Assert.All(results, r => Assert.Equal(ConditionValue.True, r));
    }
}
