using System.Text.Json;
using AgentSuite.Governance.Policy;

namespace AgentSuite.Governance.Tests.Policy;

public class ArgumentSchemaTests
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
        return ArgumentSchema.Build(schemaDocument.RootElement).Validate(instanceDocument.RootElement, maxErrors);
    }

    private static string? Problem(string schema)
    {
        using var schemaDocument = JsonDocument.Parse(schema);
        return ArgumentSchema.Build(schemaDocument.RootElement).Problem;
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
    public void SchemaThatIsNotAnObjectIsUnusable(string schema)
    {
        Assert.Equal("the schema is not a JSON object", Problem(schema));
        Assert.Equal(["the schema is not a JSON object"], Validate(schema, "{}"));
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
            ["$.amount: expected type number, found string"],
            Validate(InvoiceSchema, """{ "invoice_id": "INV-1", "amount": "900" }"""));
        Assert.Equal(["$: expected type object, found array"], Validate(InvoiceSchema, "[]"));
    }

    [Fact]
    public void TypeArrayAcceptsAnyListedType()
    {
        const string schema = """{ "type": ["string", "integer", "null"] }""";
        Assert.Empty(Validate(schema, "\"a\""));
        Assert.Empty(Validate(schema, "7"));
        Assert.Empty(Validate(schema, "null"));
        Assert.Equal(["$: expected type string, integer or null, found boolean"], Validate(schema, "true"));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("3.0")]
    [InlineData("-7")]
    [InlineData("1e2")]
    public void IntegerAcceptsWholeNumberRejectsFraction(string wholeNumber)
    {
        Assert.Empty(Validate("""{ "type": "integer" }""", wholeNumber));
        Assert.Equal(["$: expected type integer, found number 3.5"], Validate("""{ "type": "integer" }""", "3.5"));
        Assert.Equal(["$: expected type integer, found string"], Validate("""{ "type": "integer" }""", "\"3\""));
    }

    [Fact]
    public void AdditionalPropertiesFalseRejectsUnknownProperty()
    {
        var error = Assert.Single(Validate(InvoiceSchema, """{ "invoice_id": "INV-1", "amount": 1, "extra": true }"""));
        Assert.Equal("$.extra: the property is not allowed (additionalProperties is false; allowed: invoice_id, amount, status)", error);
    }

    [Fact]
    public void AdditionalPropertiesSchemaValidatesOnlyUnlistedProperties()
    {
        const string schema = """{ "properties": { "id": { "type": "integer" } }, "additionalProperties": { "type": "string" } }""";
        Assert.Empty(Validate(schema, """{ "id": 1, "note": "ok" }"""));
        Assert.Equal(["$.note: expected type string, found number 5"], Validate(schema, """{ "id": 1, "note": 5 }"""));
    }

    [Fact]
    public void PatternPropertiesCountAsKnownProperties()
    {
        const string schema = """{ "patternProperties": { "^x-": { "type": "string" } }, "additionalProperties": false }""";
        Assert.Empty(Validate(schema, """{ "x-trace": "abc" }"""));
        Assert.Equal(["$['x-trace']: expected type string, found number 1"], Validate(schema, """{ "x-trace": 1 }"""));
        Assert.Equal(["$.other: the property is not allowed (additionalProperties is false)"], Validate(schema, """{ "other": "abc" }"""));
    }

    [Fact]
    public void EnumRejectsOtherValue()
    {
        Assert.Equal(
            ["$.status: \"x\" is not one of the enum values [\"open\", \"closed\"]"],
            Validate(InvoiceSchema, """{ "invoice_id": "INV-1", "amount": 1, "status": "x" }"""));
    }

    [Fact]
    public void ConstRejectsDifferentValueButComparesNumbersByValue()
    {
        Assert.Equal(
            ["$.kind: expected the const value \"invoice\", found \"bill\""],
            Validate("""{ "properties": { "kind": { "const": "invoice" } } }""", """{ "kind": "bill" }"""));
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
        Assert.Equal(["$: 0 is not greater than the exclusiveMinimum 0"], Validate(schema, "0"));
        Assert.Equal(["$: 10 is not less than the exclusiveMaximum 10"], Validate(schema, "10"));
    }

    [Fact]
    public void NumbersBeyondDoubleRangeAreStillCompared()
    {
        Assert.Equal(["$: 1e400 is greater than the maximum 500"], Validate("""{ "maximum": 500 }""", "1e400"));
    }

    [Fact]
    public void MultipleOfUsesExactDecimalArithmetic()
    {
        const string schema = """{ "multipleOf": 0.01 }""";
        Assert.Empty(Validate(schema, "19.99"));
        Assert.Equal(["$: 19.999 is not a multipleOf 0.01"], Validate(schema, "19.999"));
    }

    [Fact]
    public void StringLengthCountsCharactersNotUtf16Units()
    {
        const string schema = """{ "minLength": 2, "maxLength": 3 }""";
        Assert.Empty(Validate(schema, "\"\ud83d\ude00\ud83d\ude00\ud83d\ude00\""));
        Assert.Equal(["$: expected at least 2 characters (minLength), found 1"], Validate(schema, "\"\ud83d\ude00\""));
        Assert.Equal(["$: expected at most 3 characters (maxLength), found 4"], Validate(schema, "\"abcd\""));
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
    public void InvalidPatternMakesTheSchemaUnusable()
    {
        var problem = Problem("""{ "pattern": "([a-z" }""");
        Assert.NotNull(problem);
        Assert.StartsWith("a pattern is not a valid ECMAScript regular expression", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void SlowPatternTimesOutAndRejects()
    {
        var slow = Assert.Single(Validate("""{ "pattern": "^(\\w+\\s?)*$" }""", $"\"{string.Concat(Enumerable.Repeat("ab ", 20_000))}!\""));
        Assert.Equal("$: the pattern \"^(\\w+\\s?)*$\" took longer than 100 ms to evaluate, so the arguments are rejected", slow);
    }

    [Theory]
    [InlineData("""{ "minLength": 1 }""", "\"\\ud800 and then the rest of a long argument value\"", "InvalidOperationException")]
    [InlineData("""{ "const": 1 }""", "1e400", "FormatException")]
    [InlineData("""{ "enum": [1, 2] }""", "1e400", "FormatException")]
    [InlineData("""{ "uniqueItems": true }""", "[1e400, 1e400]", "FormatException")]
    public void ValueTheLibraryCannotEvaluateIsRejectedWithoutQuotingIt(string schema, string instance, string exception)
    {
        Assert.Equal([$"$: the schema could not be evaluated ({exception}), so the arguments are rejected"], Validate(schema, instance));
    }

    [Fact]
    public void LongValuesAreShortenedInReasons()
    {
        var secret = new string('x', 500);
        var error = Assert.Single(Validate("""{ "enum": ["a"] }""", $"\"{secret}\""));
        Assert.Equal($"$: \"{new string('x', 40)}...\" is not one of the enum values [\"a\"]", error);

        var pattern = Assert.Single(Validate("""{ "pattern": "^a" }""", $"\"{secret}\""));
        Assert.DoesNotContain(new string('x', 41), pattern, StringComparison.Ordinal);
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
            ["$.orders[1].lines[2].qty: expected type integer, found number 1.5"],
            Validate(schema, """{ "orders": [ {}, { "lines": [ { "qty": 1 }, { "qty": 2 }, { "qty": 1.5 } ] } ] }"""));
    }

    [Fact]
    public void PropertyNamesThatAreNotIdentifiersAreBracketed()
    {
        Assert.Equal(
            ["$['first name']: expected type string, found null", "$['a/b']: expected type string, found number 1"],
            Validate("""{ "properties": { "first name": { "type": "string" }, "a/b": { "type": "string" } } }""", """{ "first name": null, "a/b": 1 }"""));
    }

    [Fact]
    public void ArrayLengthAndUniquenessAreChecked()
    {
        const string schema = """{ "minItems": 1, "maxItems": 3, "uniqueItems": true }""";
        Assert.Empty(Validate(schema, "[1, 2, 3]"));
        Assert.Equal(["$: expected at least 1 items (minItems), found 0"], Validate(schema, "[]"));
        Assert.Equal(["$: expected at most 3 items (maxItems), found 4"], Validate(schema, "[1, 2, 3, 4]"));
        Assert.Equal(
            ["$: items [0] and [2] are equal, but uniqueItems requires every item to differ"],
            Validate(schema, """[{ "a": 1 }, 2, { "a": 1 }]"""));
    }

    [Fact]
    public void PrefixItemsCheckPositionsAndItemsCheckTheRest()
    {
        const string schema = """{ "prefixItems": [{ "type": "string" }], "items": { "type": "integer" } }""";
        Assert.Empty(Validate(schema, "[\"id\", 1, 2]"));
        Assert.Equal(
            ["$[0]: expected type string, found number 1", "$[2]: expected type integer, found string"],
            Validate(schema, "[1, 2, \"x\"]"));
    }

    [Theory]
    [InlineData("#/$defs/Money")]
    [InlineData("#/definitions/Money")]
    [InlineData("#/$defs/a~1b~0c")]
    [InlineData("#/$defs/a~1b~0c/allOf/0")]
    [InlineData("#money")]
    public void LocalRefIsResolved(string reference)
    {
        var schema = $$"""
            {
              "$defs": { "Money": { "type": "number", "minimum": 0 }, "a/b~c": { "allOf": [{ "type": "number", "minimum": 0 }] }, "m": { "$anchor": "money", "minimum": 0 } },
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
    [InlineData("https://example.com/schemas/money.json")]
    [InlineData("https://json-schema.org/draft/2020-12/schema")]
    public void UnresolvableRefMakesTheSchemaUnusable(string reference)
    {
        var problem = Problem($$"""{ "properties": { "price": { "$ref": "{{reference}}" } } }""");
        Assert.NotNull(problem);
        Assert.Contains("$ref", problem, StringComparison.Ordinal);
        Assert.Contains("cannot be resolved", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://example.com/unknown-dialect")]
    [InlineData("not a uri")]
    public void UnknownDialectMakesTheSchemaUnusable(string dialect)
    {
        var problem = Problem($$"""{ "$schema": "{{dialect}}", "type": "object" }""");
        Assert.Equal($"its $schema \"{dialect}\" is not a dialect known here; declare draft-06, draft-07, 2019-09 or 2020-12, or leave $schema out for 2020-12", problem);
    }

    [Theory]
    [InlineData("""{ "type": "strng" }""")]
    [InlineData("""{ "minimum": "five" }""")]
    [InlineData("""{ "required": "a" }""")]
    [InlineData("""{ "properties": { "a": 3 } }""")]
    public void MalformedKeywordMakesTheSchemaUnusable(string schema)
    {
        Assert.NotNull(Problem(schema));
    }

    [Fact]
    public void DeclaredDraft07IsHonoured()
    {
        const string schema = """{ "$schema": "http://json-schema.org/draft-07/schema#", "items": [{ "type": "string" }], "additionalItems": false }""";
        Assert.Empty(Validate(schema, "[\"a\"]"));
        Assert.Equal(["$[1]: no item is allowed at this position (additionalItems is false)"], Validate(schema, "[\"a\", 1]"));
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
    [InlineData("""{ "if": { "$ref": "#" }, "then": true }""")]
    [InlineData("""{ "$dynamicAnchor": "a", "not": { "$dynamicRef": "#a" } }""")]
    public void RefThatNeverEndsMakesTheSchemaUnusableInsteadOfOverflowing(string schema)
    {
        var problem = Problem(schema);
        Assert.NotNull(problem);
        Assert.Single(Validate(schema, "{}"));
    }

    [Fact]
    public void LongRefChainDoesNotOverflow()
    {
        var defs = string.Join(",", Enumerable.Range(0, 3_000).Select(i => $"\"d{i}\": {{ \"$ref\": \"#/$defs/d{i + 1}\" }}"));
        var schema = $$"""{ "$defs": { {{defs}}, "d3000": { "type": "integer" } }, "$ref": "#/$defs/d0" }""";
        Assert.Equal($"subschemas nest more than {ArgumentSchema.MaxEvaluationDepth} levels deep", Problem(schema));
    }

    [Theory]
    [InlineData("")]
    [InlineData(""", "properties": { "child": { "$ref": "#" } }""")]
    public void RefsThatBranchAndRejoinMakeTheSchemaUnusableInsteadOfCostingExponentialWork(string recursion)
    {
        // 2^31 paths through 94 subschemas: shallow enough for the depth limit, far too many to evaluate.
        var defs = string.Join(",", Enumerable.Range(0, 31).Select(i => $$"""
            "d{{i}}": { "allOf": [{ "$ref": "#/$defs/d{{i + 1}}" }, { "$ref": "#/$defs/d{{i + 1}}" }] }
            """));
        var schema = $$"""{ "$defs": { {{defs}}, "d31": { "type": "integer" } }, "$ref": "#/$defs/d0"{{recursion}} }""";
        const string reason = "its $refs branch and rejoin into more than 10000 subschema evaluations for one value, too many to run on every call";
        Assert.Equal(reason, Problem(schema));
        Assert.Equal([reason], Validate(schema, "1"));
    }

    [Fact]
    public void RecursiveRefsThatBranchIntoTheSamePropertyCapHowDeeplyArgumentsNest()
    {
        // Each level applies the root twice to the same property: 2^depth evaluations, so about 10,000 allow 10 levels.
        const string schema = """{ "properties": { "a": { "allOf": [{ "$ref": "#" }, { "$ref": "#" }] } } }""";
        Assert.Null(Problem(schema));
        Assert.Empty(Validate(schema, Nested("a", 10)));
        Assert.Equal(
            ["$: the arguments nest too deeply to be checked against this recursive schema (at most 10 levels)"],
            Validate(schema, Nested("a", 11)));
    }

    [Fact]
    public void RecursiveRefsIntoDifferentPropertiesKeepTheFullDepth()
    {
        const string schema = """{ "properties": { "left": { "$ref": "#" }, "right": { "$ref": "#" } } }""";
        using var schemaDocument = JsonDocument.Parse(schema);
        using var deep = JsonDocument.Parse(Nested("left", 100), new JsonDocumentOptions { MaxDepth = 200 });
        Assert.Empty(ArgumentSchema.Build(schemaDocument.RootElement).Validate(deep.RootElement));
    }

    private static string Nested(string property, int depth) =>
        string.Concat(Enumerable.Repeat($"{{\"{property}\":", depth)) + "1" + new string('}', depth);

    [Fact]
    public void RefsSharedWithinTheEvaluationLimitAreUsable()
    {
        // 2^10 paths, about 4,000 subschema evaluations.
        var defs = string.Join(",", Enumerable.Range(0, 10).Select(i => $$"""
            "d{{i}}": { "allOf": [{ "$ref": "#/$defs/d{{i + 1}}" }, { "$ref": "#/$defs/d{{i + 1}}" }] }
            """));
        var schema = $$"""{ "$defs": { {{defs}}, "d10": { "type": "integer" } }, "$ref": "#/$defs/d0" }""";
        Assert.Null(Problem(schema));
        Assert.Equal(["$: expected type integer, found string"], Validate(schema, "\"a\"").Distinct());
    }

    [Fact]
    public void BuildThatOutlastsItsTimeMakesTheSchemaUnusable()
    {
        var properties = string.Join(",", Enumerable.Range(0, 2_000).Select(i => $$"""
            "p{{i}}": { "type": "integer", "minimum": {{i}} }
            """));
        using var schema = JsonDocument.Parse($$"""{ "properties": { {{properties}} } }""");
        Assert.Equal("building it took longer than 0 s", ArgumentSchema.Build(schema.RootElement, TimeSpan.Zero, 64 * 1024 * 1024).Problem);
        Assert.Null(ArgumentSchema.Build(schema.RootElement).Problem);
    }

    [Fact]
    public void DeeplyNestedArgumentsForARecursiveSchemaAreRejectedNotOverflowed()
    {
        const string schema = """{ "$defs": { "n": { "allOf": [{ "properties": { "c": { "$ref": "#/$defs/n" } } }] } }, "$ref": "#/$defs/n" }""";
        var deep = string.Concat(Enumerable.Repeat("{\"c\":", 100)) + "1" + new string('}', 100);
        using var schemaDocument = JsonDocument.Parse(schema);
        using var deepDocument = JsonDocument.Parse(deep, new JsonDocumentOptions { MaxDepth = 200 });
        var error = Assert.Single(ArgumentSchema.Build(schemaDocument.RootElement).Validate(deepDocument.RootElement));
        Assert.StartsWith("$: the arguments nest too deeply to be checked against this recursive schema", error, StringComparison.Ordinal);
        Assert.Empty(Validate(schema, """{ "c": { "c": { "c": 1 } } }"""));
    }

    [Fact]
    public void AnyOfAcceptsWhenOneAlternativeMatches()
    {
        const string schema = """{ "anyOf": [{ "type": "string" }, { "type": "integer", "minimum": 1 }] }""";
        Assert.Empty(Validate(schema, "\"a\""));
        Assert.Empty(Validate(schema, "3"));
        Assert.Equal(
            ["$: does not match any of the anyOf alternatives ($: expected type string, found number 0; $: 0 is less than the minimum 1)"],
            Validate(schema, "0"));
    }

    [Fact]
    public void FailedAlternativesOfAMatchedAnyOfAreNotReported()
    {
        const string schema = """{ "properties": { "a": { "anyOf": [{ "type": "string" }, { "type": "integer" }] }, "b": { "type": "string" } } }""";
        Assert.Equal(["$.b: expected type string, found number 1"], Validate(schema, """{ "a": "x", "b": 1 }"""));
    }

    [Fact]
    public void OneOfRequiresExactlyOne()
    {
        const string schema = """{ "oneOf": [{ "type": "integer" }, { "type": "number", "maximum": 10 }] }""";
        Assert.Empty(Validate(schema, "20"));
        Assert.Empty(Validate(schema, "2.5"));
        Assert.Equal(["$: matches oneOf alternatives 1 and 2, but oneOf allows exactly one"], Validate(schema, "5"));
        Assert.Equal(
            ["$: does not match any of the oneOf alternatives ($: expected type integer, found number 20.5; $: 20.5 is greater than the maximum 10)"],
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
    public void IfThenElseAppliesTheBranchTheConditionPicks()
    {
        const string schema = """
            {
              "if": { "properties": { "method": { "const": "card" } }, "required": ["method"] },
              "then": { "required": ["last4"] },
              "else": { "required": ["iban"] }
            }
            """;
        Assert.Empty(Validate(schema, """{ "method": "card", "last4": "4242" }"""));
        Assert.Empty(Validate(schema, """{ "method": "bank", "iban": "NO93" }"""));
        Assert.Equal(["$: missing required property 'last4'"], Validate(schema, """{ "method": "card" }"""));
        Assert.Equal(["$: missing required property 'iban'"], Validate(schema, """{ "method": "bank" }"""));
    }

    [Fact]
    public void ContainsCountsMatchingItems()
    {
        const string schema = """{ "contains": { "type": "integer", "minimum": 100 }, "minContains": 2, "maxContains": 3 }""";
        Assert.Empty(Validate(schema, "[\"a\", 100, 200]"));
        Assert.Equal(
            ["$: expected at least 2 items matching the contains schema (contains, minContains), found 1"],
            Validate(schema, "[\"a\", 1, 200]"));
        Assert.Equal(
            ["$: expected at most 3 items matching the contains schema (contains, maxContains), found 4"],
            Validate(schema, "[100, 200, 300, 400]"));
    }

    [Fact]
    public void MinAndMaxPropertiesCountProperties()
    {
        const string schema = """{ "minProperties": 1, "maxProperties": 2 }""";
        Assert.Empty(Validate(schema, """{ "a": 1 }"""));
        Assert.Equal(["$: expected at least 1 properties (minProperties), found 0"], Validate(schema, "{}"));
        Assert.Equal(["$: expected at most 2 properties (maxProperties), found 3"], Validate(schema, """{ "a": 1, "b": 2, "c": 3 }"""));
    }

    [Fact]
    public void DependentRequiredAndPropertyNamesAreChecked()
    {
        Assert.Equal(
            ["$: property 'card' requires property 'cvc' (dependentRequired)"],
            Validate("""{ "dependentRequired": { "card": ["cvc"] } }""", """{ "card": "4242" }"""));
        Assert.Equal(
            ["$.toolong: the property name is not allowed by propertyNames"],
            Validate("""{ "propertyNames": { "maxLength": 3 } }""", """{ "ok": 1, "toolong": 2 }"""));
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
