using AgentSuite.Cli.Rendering;

namespace AgentSuite.Cli.Tests;

/// <summary>The line diff of <c>tools diff</c>: exact for a definition, bounded for one a hostile server makes huge.</summary>
public sealed class LineDiffTests
{
    [Fact]
    public void AChangedLineIsRemovedAndAddedBetweenTheLinesKept()
    {
        var diff = LineDiff.Compute(["{", "  \"a\": 1,", "  \"b\": 2", "}"], ["{", "  \"a\": 1,", "  \"b\": 3", "  \"c\": 4", "}"]);

        Assert.Equal(
            [(' ', "{"), (' ', "  \"a\": 1,"), ('-', "  \"b\": 2"), ('+', "  \"b\": 3"), ('+', "  \"c\": 4"), (' ', "}")],
            diff);
    }

    [Fact]
    public void AHugeDefinitionIsDiffedWithinBoundsKeepingItsCommonEndsAndEveryLine()
    {
        // 5000 by 5000 changed lines would need a table of 25 million cells: shown as removed then added instead.
        var before = Enumerable.Range(0, 5000).Select(i => $"old {i}").Prepend("{").Append("}").ToList();
        var after = Enumerable.Range(0, 5000).Select(i => $"new {i}").Prepend("{").Append("}").ToList();

        var diff = LineDiff.Compute(before, after);

        Assert.Equal(10_002, diff.Count);
        Assert.Equal((' ', "{"), diff[0]);
        Assert.Equal((' ', "}"), diff[^1]);
        Assert.Equal(before.Skip(1).SkipLast(1), diff.Skip(1).Take(5000).Select(d => d.Line));
        Assert.All(diff.Skip(1).Take(5000), d => Assert.Equal('-', d.Change));
        Assert.Equal(after.Skip(1).SkipLast(1), diff.Skip(5001).Take(5000).Select(d => d.Line));
        Assert.All(diff.Skip(5001).Take(5000), d => Assert.Equal('+', d.Change));
    }

    [Fact]
    public void ALongDefinitionWithOneChangedLineDiffsOnlyThatLine()
    {
        var before = Enumerable.Range(0, 100_000).Select(i => $"line {i}").ToList();
        var after = before.Select((l, i) => i == 50_000 ? "changed" : l).ToList();

        var diff = LineDiff.Compute(before, after);

        Assert.Equal(100_001, diff.Count);
        Assert.Equal([('-', "line 50000"), ('+', "changed")], diff.Where(d => d.Change != ' '));
        Assert.Equal(before, diff.Where(d => d.Change != '+').Select(d => d.Line));
    }
}
