using System.Diagnostics;
using System.Text.Json;
using AgentSuite.Governance.Policy;

namespace AgentSuite.Governance.Tests.Policy;

public class JsonSchemaValidatorTests
{
    private const string InvoiceSchema = """
        {
          "type": "object",
          "properties": {
            "invoice_id": { "type": "string", "minLength": 3 },
            "amount": { "type": "number", "minimum": 0, "maximum": 500 },
            "status": { "enum": ["open", "closed"] }
          },
          "required": ["invoice_id", "amount"],
          "additionalProperties": false
        }
        """;

    private static IReadOnlyList<string> Validate(string schema, string instance, int maxErrors = 8)
    {
        using var schemaDocument = JsonDocument.Parse(schema);
        using var instanceDocument = JsonDocument.Parse(instance);
        return JsonSchemaValidator.Validate(schemaDocument.RootElement, instanceDocument.RootElement, maxErrors);
    }

    [Fact]
    public void ValidInstanceGivesEmptyList()
    {
        Assert.Empty(Validate(InvoiceSchema, """{ "invoice_id": "INV-1", "amount": 120.5, "status": "open" }"""));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("[1, \"two\", null]")]
    [InlineData("{ \"any\": { \"thing\": true } }")]
    public void EmptySchemaAcceptsAnything(string instance)
    {
        Assert.Empty(Validate("{}", instance));
        Assert.Empty(Validate("true", instance));
    }

    [Fact]
    public void FalseSchemaRejectsEverything()
    {
        Assert.Equal(["$: no value is allowed here (the schema is false)"], Validate("false", "{}"));
        Assert.Equal(
            ["$.b: no value is allowed here (the schema is false)"],
            Validate("""{ "properties": { "a": true, "b": false } }""", """{ "a": 1, "b": 2 }"""));
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"object\"")]
    [InlineData("[]")]
    [InlineData("null")]
    public void SchemaThatIsNotAnObjectIsReported(string schema)
    {
        Assert.Equal(["schema is not a JSON object"], Validate(schema, "{}"));
    }

    [Fact]
    public void MissingRequiredPropertyIsReported()
    {
        Assert.Equal(["$: missing required property 'invoice_id'"], Validate(InvoiceSchema, """{ "amount": 10 }"""));
    }

    [Fact]
    public void WrongTypeNamesPathAndTypes()
    {
        Assert.Equal(
            ["$.amount: expected number, found string"],
            Validate(InvoiceSchema, """{ "invoice_id": "INV-1", "amount": "900" }"""));
        Assert.Equal(["$: expected object, found array"], Validate(InvoiceSchema, "[]"));
    }

    [Fact]
    public void TypeArrayAcceptsAnyListedType()
    {
        const string schema = """{ "type": ["string", "integer", "null"] }""";
        Assert.Empty(Validate(schema, "\"a\""));
        Assert.Empty(Validate(schema, "7"));
        Assert.Empty(Validate(schema, "null"));
        Assert.Equal(["$: expected string, integer or null, found boolean"], Validate(schema, "true"));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("3.0")]
    [InlineData("-7")]
    [InlineData("1e2")]
    [InlineData("123456789012345678901234567890")]
    public void IntegerAcceptsWholeNumberRejectsFraction(string wholeNumber)
    {
        Assert.Empty(Validate("""{ "type": "integer" }""", wholeNumber));
        Assert.Equal(["$: expected integer, found number 3.5"], Validate("""{ "type": "integer" }""", "3.5"));
        Assert.Equal(["$: expected integer, found string"], Validate("""{ "type": "integer" }""", "\"3\""));
    }

    [Fact]
    public void AdditionalPropertiesFalseRejectsUnknownProperty()
    {
        var errors = Validate(InvoiceSchema, """{ "invoice_id": "INV-1", "amount": 1, "extra": true }""");
        var error = Assert.Single(errors);
        Assert.StartsWith("$: property 'extra' is not allowed", error, StringComparison.Ordinal);
        Assert.Contains("invoice_id, amount, status", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AdditionalPropertiesSchemaValidatesOnlyUnlistedProperties()
    {
        const string schema = """{ "properties": { "id": { "type": "integer" } }, "additionalProperties": { "type": "string" } }""";
        Assert.Empty(Validate(schema, """{ "id": 1, "note": "ok" }"""));
        Assert.Equal(["$.note: expected string, found number 5"], Validate(schema, """{ "id": 1, "note": 5 }"""));
    }

    [Fact]
    public void PatternPropertiesCountAsKnownProperties()
    {
        const string schema = """{ "patternProperties": { "^x-": { "type": "string" } }, "additionalProperties": false }""";
        Assert.Empty(Validate(schema, """{ "x-trace": "abc" }"""));
        Assert.Equal(["$['x-trace']: expected string, found number 1"], Validate(schema, """{ "x-trace": 1 }"""));
        Assert.Equal(["$: property 'other' is not allowed"], Validate(schema, """{ "other": "abc" }"""));
    }

    [Fact]
    public void EnumRejectsOtherValue()
    {
        Assert.Equal(
            ["$.status: \"x\" is not one of [\"open\", \"closed\"]"],
            Validate(InvoiceSchema, """{ "invoice_id": "INV-1", "amount": 1, "status": "x" }"""));
    }

    [Fact]
    public void ConstRejectsDifferentValueButComparesNumbersByValue()
    {
        Assert.Equal(["$.kind: expected \"invoice\", found \"bill\""], Validate("""{ "properties": { "kind": { "const": "invoice" } } }""", """{ "kind": "bill" }"""));
        Assert.Empty(Validate("""{ "enum": [1, 2] }""", "1.0"));
        Assert.Empty(Validate("""{ "const": 100 }""", "1e2"));
        Assert.Empty(Validate("""{ "const": { "a": [1, 2] } }""", """{ "a": [1, 2.0] }"""));
    }

    [Fact]
    public void NumericBoundsNameTheValueAndTheBound()
    {
        Assert.Equal(
            ["$.amount: 900 is greater than the maximum 500"],
            Validate(InvoiceSchema, """{ "invoice_id": "INV-1", "amount": 900 }"""));
        Assert.Equal(
            ["$.amount: -0.01 is less than the minimum 0"],
            Validate(InvoiceSchema, """{ "invoice_id": "INV-1", "amount": -0.01 }"""));
        Assert.Empty(Validate(InvoiceSchema, """{ "invoice_id": "INV-1", "amount": 500 }"""));

        const string schema = """{ "exclusiveMinimum": 0, "exclusiveMaximum": 10 }""";
        Assert.Empty(Validate(schema, "0.5"));
        Assert.Equal(["$: 0 is not greater than the exclusive minimum 0"], Validate(schema, "0"));
        Assert.Equal(["$: 10 is not less than the exclusive maximum 10"], Validate(schema, "10"));
    }

    [Fact]
    public void NumbersBeyondDecimalAndDoubleRangeAreStillCompared()
    {
        Assert.Equal(["$: 1e400 is greater than the maximum 500"], Validate("""{ "maximum": 500 }""", "1e400"));
        Assert.Equal(["$: 1e-30 is not greater than the exclusive minimum 1e-29"], Validate("""{ "exclusiveMinimum": 1e-29 }""", "1e-30"));
        Assert.Empty(Validate("""{ "exclusiveMinimum": 0 }""", "1e-30"));
    }

    [Fact]
    public void MultipleOfUsesExactDecimalArithmetic()
    {
        const string schema = """{ "multipleOf": 0.01 }""";
        Assert.Empty(Validate(schema, "19.99"));
        Assert.Equal(["$: 19.999 is not a multiple of 0.01"], Validate(schema, "19.999"));
    }

    [Fact]
    public void StringLengthCountsCharactersNotUtf16Units()
    {
        const string schema = """{ "minLength": 2, "maxLength": 3 }""";
        Assert.Empty(Validate(schema, "\"\ud83d\ude00\ud83d\ude00\ud83d\ude00\""));
        Assert.Equal(["$: expected at least 2 characters, found 1"], Validate(schema, "\"\ud83d\ude00\""));
        Assert.Equal(["$: expected at most 3 characters, found 4"], Validate(schema, "\"abcd\""));
    }

    [Fact]
    public void PatternSearchesTheStringWithEcmaScriptClassesAndReportsMismatch()
    {
        Assert.Empty(Validate("""{ "pattern": "[0-9]{3}" }""", "\"INV-123-X\""));
        Assert.Equal(
            ["$.code: \"ab\" does not match the pattern \"^[A-Z]{2}\\d+$\""],
            Validate("""{ "properties": { "code": { "pattern": "^[A-Z]{2}\\d+$" } } }""", """{ "code": "ab" }"""));
        // ECMA-262 \d is ASCII-only, unlike .NET's default.
        Assert.Single(Validate("""{ "pattern": "^\\d+$" }""", "\"\u0663\u0664\""));
    }

    [Fact]
    public void PatternTimeoutOrInvalidPatternIsAnError()
    {
        var invalid = Assert.Single(Validate("""{ "pattern": "([a-z" }""", "\"abc\""));
        Assert.Equal("$: the pattern \"([a-z\" is not a valid regular expression, so the value is rejected", invalid);

        var stopwatch = Stopwatch.StartNew();
        var slow = Assert.Single(Validate("""{ "pattern": "^(a+)+$" }""", $"\"{new string('a', 40)}!\""));
        Assert.Equal("$: the pattern \"^(a+)+$\" took longer than 100 ms to evaluate, so the value is rejected", slow);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void LongValuesAreShortenedInMessages()
    {
        var error = Assert.Single(Validate("""{ "enum": ["a"] }""", $"\"{new string('x', 500)}\""));
        Assert.Equal($"$: \"{new string('x', 40)}...\" is not one of [\"a\"]", error);
    }

    [Fact]
    public void NestedArrayItemPathIsNamed()
    {
        const string schema = """
            {
              "properties": {
                "orders": {
                  "type": "array",
                  "items": {
                    "properties": { "lines": { "items": { "properties": { "qty": { "type": "integer" } } } } }
                  }
                }
              }
            }
            """;
        Assert.Equal(
            ["$.orders[1].lines[2].qty: expected integer, found number 1.5"],
            Validate(schema, """{ "orders": [ {}, { "lines": [ { "qty": 1 }, { "qty": 2 }, { "qty": 1.5 } ] } ] }"""));
    }

    [Fact]
    public void PropertyNamesThatAreNotIdentifiersAreBracketed()
    {
        Assert.Equal(
            ["$['first name']: expected string, found null"],
            Validate("""{ "properties": { "first name": { "type": "string" } } }""", """{ "first name": null }"""));
    }

    [Fact]
    public void ArrayLengthAndUniquenessAreChecked()
    {
        const string schema = """{ "minItems": 1, "maxItems": 3, "uniqueItems": true }""";
        Assert.Empty(Validate(schema, "[1, 2, 3]"));
        Assert.Equal(["$: expected at least 1 items, found 0"], Validate(schema, "[]"));
        Assert.Equal(["$: expected at most 3 items, found 4"], Validate(schema, "[1, 2, 3, 4]"));
        Assert.Equal(["$: items [0] and [2] are equal, but items must be unique"], Validate(schema, """[{ "a": 1 }, 2, { "a": 1.0 }]"""));
    }

    [Fact]
    public void PrefixItemsCheckPositionsAndItemsCheckTheRest()
    {
        const string schema = """{ "prefixItems": [{ "type": "string" }], "items": { "type": "integer" } }""";
        Assert.Empty(Validate(schema, "[\"id\", 1, 2]"));
        Assert.Equal(["$[0]: expected string, found number 1", "$[2]: expected integer, found string"], Validate(schema, "[1, 2, \"x\"]"));
    }

    [Theory]
    [InlineData("#/$defs/Money")]
    [InlineData("#/definitions/Money")]
    [InlineData("#/$defs/a~1b~0c")]
    [InlineData("#/$defs/a~1b~0c/allOf/0")]
    public void LocalRefIsResolved(string reference)
    {
        var schema = $$"""
            {
              "$defs": { "Money": { "type": "number", "minimum": 0 }, "a/b~c": { "allOf": [{ "type": "number", "minimum": 0 }] } },
              "definitions": { "Money": { "type": "number", "minimum": 0 } },
              "properties": { "price": { "$ref": "{{reference}}" } }
            }
            """;
        Assert.Empty(Validate(schema, """{ "price": 5 }"""));
        Assert.Equal(["$.price: -5 is less than the minimum 0"], Validate(schema, """{ "price": -5 }"""));
    }

    [Theory]
    [InlineData("#/$defs/Missing")]
    [InlineData("other.json#/$defs/Money")]
    [InlineData("#anchor")]
    public void UnresolvableRefIsAnError(string reference)
    {
        var error = Assert.Single(Validate($$"""{ "$ref": "{{reference}}" }""", "1"));
        Assert.Equal($"$: cannot resolve $ref \"{reference}\" (only local references such as #/$defs/Name are supported)", error);
    }

    [Fact]
    public void RecursiveSchemaValidatesNestedData()
    {
        const string schema = """
            {
              "$ref": "#/$defs/node",
              "$defs": { "node": { "required": ["name"], "properties": { "children": { "items": { "$ref": "#/$defs/node" } } } } }
            }
            """;
        Assert.Empty(Validate(schema, """{ "name": "root", "children": [ { "name": "a", "children": [ { "name": "b" } ] } ] }"""));
        Assert.Equal(
            ["$.children[0].children[0]: missing required property 'name'"],
            Validate(schema, """{ "name": "root", "children": [ { "name": "a", "children": [ {} ] } ] }"""));
    }

    [Theory]
    [InlineData("""{ "$ref": "#" }""")]
    [InlineData("""{ "$defs": { "a": { "$ref": "#/$defs/b" }, "b": { "$ref": "#/$defs/a" } }, "$ref": "#/$defs/a" }""")]
    [InlineData("""{ "$defs": { "a": { "anyOf": [{ "$ref": "#/$defs/a" }, { "$ref": "#/$defs/a" }] } }, "$ref": "#/$defs/a" }""")]
    [InlineData("""{ "not": { "$ref": "#" } }""")]
    public void RecursiveRefDoesNotOverflow(string schema)
    {
        var stopwatch = Stopwatch.StartNew();
        var error = Assert.Single(Validate(schema, "{}"));
        Assert.Equal("$: schema nesting is deeper than 64 levels (is there a $ref cycle?); validation stopped", error);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void AnyOfAcceptsWhenOneAlternativeMatches()
    {
        const string schema = """{ "anyOf": [{ "type": "string" }, { "type": "integer", "minimum": 1 }] }""";
        Assert.Empty(Validate(schema, "\"a\""));
        Assert.Empty(Validate(schema, "3"));
        Assert.Equal(
            ["$: does not match any of the anyOf alternatives ($: expected string, found number 0; $: 0 is less than the minimum 1)"],
            Validate(schema, "0"));
    }

    [Fact]
    public void OneOfRequiresExactlyOne()
    {
        const string schema = """{ "oneOf": [{ "type": "integer" }, { "type": "number", "maximum": 10 }] }""";
        Assert.Empty(Validate(schema, "20"));
        Assert.Empty(Validate(schema, "2.5"));
        Assert.Equal(["$: matches oneOf alternatives 1 and 2, but must match exactly one"], Validate(schema, "5"));
        Assert.Equal(
            ["$: does not match any of the oneOf alternatives ($: expected integer, found number 20.5; $: 20.5 is greater than the maximum 10)"],
            Validate(schema, "20.5"));
    }

    [Fact]
    public void AllOfAppliesEverySchemaAndNotRejectsAMatch()
    {
        const string allOf = """{ "allOf": [{ "required": ["a"] }, { "required": ["b"] }] }""";
        Assert.Empty(Validate(allOf, """{ "a": 1, "b": 2 }"""));
        Assert.Equal(["$: missing required property 'a'", "$: missing required property 'b'"], Validate(allOf, "{}"));

        const string not = """{ "not": { "type": "null" } }""";
        Assert.Empty(Validate(not, "0"));
        Assert.Equal(["$: must not match the schema under 'not'"], Validate(not, "null"));
    }

    [Fact]
    public void MaxErrorsCapsTheList()
    {
        const string schema = """{ "required": ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"] }""";
        Assert.Equal(3, Validate(schema, "{}", maxErrors: 3).Count);
        Assert.Equal(8, Validate(schema, "{}").Count);
        Assert.Equal(["$: missing required property 'a'"], Validate(schema, "{}", maxErrors: 0));
    }

    [Fact]
    public void UnknownKeywordsAndKeywordsForOtherTypesAreIgnored()
    {
        const string schema = """
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "title": "t", "description": "d", "default": 1, "examples": [1], "format": "email",
              "minLength": 5, "required": ["x"], "minItems": 3, "x-vendor": { "anything": true }
            }
            """;
        Assert.Empty(Validate(schema, "12"));
    }
}
