namespace AgentSuite.Models.Tests;

/// <summary>The keys replays write are checked when the script loads, like every other key.</summary>
public sealed class ReplayScriptParsingTests
{
    private static MockScriptException Rejects(string yaml) => Assert.Throws<MockScriptException>(() => MockScript.Parse(yaml, "test.yaml"));

    [Fact]
    public void ReplayFlagMakesTheScriptStrict()
    {
        Assert.True(MockScript.Parse("replay: true\nagents: {}\n").IsReplay);
        Assert.False(MockScript.Parse("agents: {}\n").IsReplay);
        Assert.Contains("'replay' must be true or false", Rejects("replay: maybe\nagents: {}\n").Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("occurrence: 2\n    steps:\n      - reply: hi", "occurrence")]
    [InlineData("steps:\n      - call: a\n      - previous_outcomes: { a: ok }\n        reply: hi", "previous_outcomes")]
    public void ReplayKeysAreRejectedOutsideAReplay(string rule, string key)
    {
        var error = Rejects($"agents:\n  billing:\n  - {rule}\n");

        Assert.Contains($"'{key}' belongs to replays: it works only in a script with 'replay: true' at the top", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownOutcomeIsRejectedNamingItsLine()
    {
        var error = Rejects("""
            replay: true
            agents:
              billing:
                - steps:
                    - call: billing_issue_refund
                    - previous_outcomes: { billing_issue_refund: [ok, refused] }
                      reply: done
            """);

        Assert.Equal(6, error.Line);
        Assert.Contains("'refused' is not an outcome; write ok, denied, failed", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arguments_json: '{\"a\": 1,}'", "'arguments_json' is not valid JSON")]
    [InlineData("arguments_json: '[1, 2]'", "'arguments_json' must be one JSON object")]
    [InlineData("arguments_json: '{\"a\": 1, \"a\": 2}'", "'arguments_json' names 'a' twice")]
    [InlineData("arguments_json: '{}'\n        arguments: { a: 1 }", "a call has both 'arguments' and 'arguments_json'")]
    public void MalformedArgumentsJsonIsRejected(string arguments, string problem)
    {
        var error = Rejects($"agents:\n  billing:\n  - steps:\n      - call: billing_issue_refund\n        {arguments}\n");

        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void WithTextOnAReplyStepIsRejected()
    {
        var error = Rejects("agents:\n  billing:\n  - steps:\n      - reply: hi\n        with_text: hello\n");

        Assert.Contains("'with_text' is text said alongside calls", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void OccurrenceMustBeAWholeNumberFromOne()
    {
        var error = Rejects("replay: true\nagents:\n  billing:\n  - occurrence: 0\n    steps:\n      - reply: hi\n");

        Assert.Contains("'occurrence' must be a whole number from 1", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenRecordingLineIsRejectedNamingTheFileAndLine()
    {
        var error = Assert.Throws<MockScriptException>(() => RecordingConverter.ToScriptYaml(["{\"format\":1,\"request\":{},\"response\":{}}", "not json"], "conv.jsonl"));

        Assert.Equal(("conv.jsonl", 2), (error.ScriptName, error.Line));
        Assert.Contains("this line is not a recorded model exchange: it is not JSON", error.Problem, StringComparison.Ordinal);
    }
}
