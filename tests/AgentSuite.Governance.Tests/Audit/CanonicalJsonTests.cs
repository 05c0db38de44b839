using System.Text.Json;

namespace AgentSuite.Governance.Tests.Audit;

/// <summary>
/// The canonical form every hash in the audit chain, the idempotency keys and the approval bindings rest on: a change to
/// it would make stored chains fail verification, so these pin its bytes.
/// </summary>
public class CanonicalJsonTests
{
    [Theory]
    [InlineData("""{ "b": 1, "a": 2 }""", """{"a":2,"b":1}""")]
    [InlineData("""{"Z":1,"a":2,"_":3,"A":4}""", """{"A":4,"Z":1,"_":3,"a":2}""")]
    [InlineData("""{"n":{"y":[3,{"d":1,"c":2}],"x":null},"m":true,"l":false}""", """{"l":false,"m":true,"n":{"x":null,"y":[3,{"c":2,"d":1}]}}""")]
    [InlineData("""{}""", """{}""")]
    [InlineData("""[]""", """[]""")]
    public void ObjectKeysAreSortedOrdinallyAtEveryLevelWithoutWhiteSpace(string json, string canonical) =>
        Assert.Equal(canonical, Canonical(json));

    [Theory]
    [InlineData("""{"a":100.0,"b":1e2,"c":100,"d":0.50,"e":-12.340}""", """{"a":100,"b":100,"c":100,"d":0.5,"e":-12.34}""")]
    [InlineData("""[12345678901234567890123456789012345]""", """[1.234567890123457E+34]""")]
    public void NumbersOfTheSameValueHaveOneForm(string json, string canonical) =>
        Assert.Equal(canonical, Canonical(json));

    // Characters beyond the Basic Multilingual Plane are written as escaped surrogate pairs.
    [Theory]
    [InlineData("""{"s":"plain text, 64 chars of hex: 0123456789abcdef"}""", """{"s":"plain text, 64 chars of hex: 0123456789abcdef"}""")]
    [InlineData("""{"s":"\u0041\/\n"}""", """{"s":"A/\n"}""")]
    [InlineData("""{"s":"café ☕ 😀"}""", """{"s":"café ☕ \uD83D\uDE00"}""")]
    [InlineData("""{"s":"caf\u00e9 \ud83d\ude00"}""", """{"s":"café \uD83D\uDE00"}""")]
    [InlineData("""{"s":"quote \" and tab \t"}""", """{"s":"quote \" and tab \t"}""")]
    public void StringsHaveOneFormHoweverTheyWereEscaped(string json, string canonical) =>
        Assert.Equal(canonical, Canonical(json));

    [Theory]
    [InlineData("""{"b":1,"\u0061":2}""", """{"a":2,"b":1}""")]
    [InlineData("""{"é":1,"z":2,"😀":3,"":4}""", """{"":4,"z":2,"é":1,"\uD83D\uDE00":3}""")]
    [InlineData("""{"\uffff":1,"😀":2}""", """{"\uD83D\uDE00":2,"\uFFFF":1}""")]
    public void EscapedAndNonAsciiNamesSortByTheirUtf16CodeUnits(string json, string canonical) =>
        Assert.Equal(canonical, Canonical(json));

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"a":1,"\u0061":2}""")]
    [InlineData("""{"x":{"é":1,"é":2}}""")]
    public void DuplicateKeysHaveNoCanonicalForm(string json)
    {
        using var document = JsonDocument.Parse(json);
        var error = Assert.Throws<JsonException>(() => CanonicalJson.Sha256(document.RootElement));
        Assert.Contains("Duplicate property", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSameValueWrittenDifferentlyHashesTheSame()
    {
        using var one = JsonDocument.Parse("""{ "amount": 150.00, "invoice": "INV-1006", "reason": "dup\u006cicate" }""");
        using var two = JsonDocument.Parse("""{"reason":"duplicate","invoice":"INV-1006","amount":1.5e2}""");
        Assert.Equal(CanonicalJson.Sha256(one.RootElement), CanonicalJson.Sha256(two.RootElement));
    }

    private static string Canonical(string json)
    {
        using var document = JsonDocument.Parse(json);
        return CanonicalJson.ToString(document.RootElement);
    }
}
