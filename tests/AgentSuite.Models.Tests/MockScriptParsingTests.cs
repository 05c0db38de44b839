namespace AgentSuite.Models.Tests;

public sealed class MockScriptParsingTests
{
    private static MockScriptException Rejects(string yaml) => Assert.Throws<MockScriptException>(() => MockScript.Parse(yaml, "test.yaml"));

    [Fact]
    public void DemoScriptLoadsWithRulesForEverySampleAgent()
    {
        var script = MockScript.LoadDemo();

        Assert.Equal("demo.yaml", script.Name);
        Assert.Superset(new HashSet<string> { "billing", "coordinator", "shipping", "support" }, script.Agents.ToHashSet());
    }

    [Fact]
    public void StepWithBothCallAndReplyIsRejectedNamingItsLine()
    {
        var error = Rejects("""
            agents:
              billing:
                - steps:
                    - call: billing_get_invoice
                      reply: done
            """);

        Assert.Equal(4, error.Line);
        Assert.Contains("both 'call' and 'reply'", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("test.yaml, line 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StepWithNeitherCallNorReplyIsRejected()
    {
        var error = Rejects("""
            agents:
              billing:
                - steps:
                    - on_denied: no
            """);

        Assert.Equal(4, error.Line);
        Assert.Contains("needs one of 'call'", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidRegexIsRejectedNamingItsLine()
    {
        var error = Rejects("""
            agents:
              billing:
                - when: "refund (INV-\\d+"
                  steps:
                    - reply: ok
            """);

        Assert.Equal(3, error.Line);
        Assert.Contains("'when' is not a valid regular expression", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownKeyIsRejectedWithASuggestionAndTheAllowedKeys()
    {
        var error = Rejects("""
            agents:
              billing:
                - steps:
                    - call: billing_get_invoice
                      arguements:
                        invoice_id: INV-1002
            """);

        Assert.Equal(5, error.Line);
        Assert.Contains("'arguements' is not a key of a step (did you mean 'arguments'?)", error.Problem, StringComparison.Ordinal);
        Assert.Contains("call, arguments, calls, reply, on_denied, on_error, even_if_not_offered", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTopLevelKeyIsRejected()
    {
        var error = Rejects("""
            agent:
              billing: []
            """);

        Assert.Equal(1, error.Line);
        Assert.Contains("did you mean 'agents'", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplateUsingAGroupThePatternDoesNotHaveIsRejected()
    {
        var error = Rejects("""
            agents:
              billing:
                - when: refund (?<invoice>INV-\d+)
                  steps:
                    - reply: "Refunding {{match.invoce}}"
            """);

        Assert.Equal(5, error.Line);
        Assert.Contains("has no group 'invoce' (it has: 0, invoice)", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplateUsingResultsOfAToolTheRuleNeverCallsIsRejected()
    {
        var error = Rejects("""
            agents:
              billing:
                - steps:
                    - call: billing_get_invoice
                    - reply: "{{results.billing_get_invoce.total}}"
            """);

        Assert.Equal(5, error.Line);
        Assert.Contains("no step of this rule calls 'billing_get_invoce' (it calls: billing_get_invoice)", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void TemplateWithAnUnknownValueIsRejectedListingTheKnownOnes()
    {
        var error = Rejects("""
            agents:
              billing:
                - steps:
                    - reply: "You said {{usr}}"
            """);

        Assert.Contains("'usr' is not a value the mock knows; use one of user, agent, match, result, results, error", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UnclosedPlaceholderIsRejected()
    {
        var error = Rejects("""
            agents:
              billing:
                - steps:
                    - reply: "You said {{user"
            """);

        Assert.Contains("is not closed with '}}'", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UnquotedPlaceholderIsRejectedWithAHintToQuoteIt()
    {
        var error = Rejects("""
            agents:
              coordinator:
                - steps:
                    - call: ask_billing
                      arguments:
                        request: {{user}}
            """);

        Assert.Equal(6, error.Line);
        Assert.Contains("must be quoted", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleAfterACatchAllIsRejectedAsUnreachable()
    {
        var error = Rejects("""
            agents:
              billing:
                - name: fallback
                  steps:
                    - reply: I do not know.
                - when: refund
                  steps:
                    - reply: Refunding.
            """);

        Assert.Equal(6, error.Line);
        Assert.Contains("rule 'fallback' (line 3) has no 'when'", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void OnDeniedOnAStepThatRepliesIsRejected()
    {
        var error = Rejects("""
            agents:
              billing:
                - steps:
                    - reply: done
                      on_denied: not allowed
            """);

        Assert.Equal(5, error.Line);
        Assert.Contains("this step replies, it calls nothing", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ArgumentsBesideCallsAreRejected()
    {
        var error = Rejects("""
            agents:
              billing:
                - steps:
                    - calls:
                        - call: billing_get_invoice
                      arguments:
                        invoice_id: INV-1
            """);

        Assert.Contains("'arguments' belongs inside each item of 'calls'", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleWithoutStepsIsRejected()
    {
        var error = Rejects("""
            agents:
              billing:
                - when: refund
            """);

        Assert.Equal(3, error.Line);
        Assert.Contains("a rule needs 'steps'", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidYamlIsRejectedWithItsLine()
    {
        var error = Rejects("""
            agents:
              billing:
                - steps:
                    - reply: "unterminated
            """);

        Assert.Contains("not valid YAML", error.Problem, StringComparison.Ordinal);
        Assert.True(error.Line >= 4, error.Message);
    }

    [Fact]
    public void KeyRepeatedInOneMapIsRejected()
    {
        var error = Rejects("""
            agents:
              billing:
                - steps:
                    - reply: one
              billing:
                - steps:
                    - reply: two
            """);

        Assert.Contains("appears twice", error.Problem, StringComparison.Ordinal);
        Assert.Equal(5, error.Line);
    }

    [Fact]
    public void EmptyScriptIsRejected()
    {
        var error = Rejects("# nothing yet\n");

        Assert.Contains("the script is empty", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadNamesTheFileInItsErrors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mock-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "agents:\n  billing:\n    - steps:\n        - repy: hi\n");
        try
        {
            var error = Assert.Throws<MockScriptException>(() => MockScript.Load(path));

            Assert.Equal(Path.GetFileName(path), error.ScriptName);
            Assert.Equal(4, error.Line);
            Assert.Contains("did you mean 'reply'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadOfAMissingFileSaysWhichFile()
    {
        var error = Assert.Throws<FileNotFoundException>(() => MockScript.Load("no/such/script.yaml"));

        Assert.Contains("script.yaml' does not exist", error.Message, StringComparison.Ordinal);
    }
}
