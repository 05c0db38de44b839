using AgentSuite.Governance;
using AgentSuite.Governance.Limits;
using AgentSuite.Storage.Tests.Support;

namespace AgentSuite.Storage.Tests.Contract;

/// <summary>
/// What every <see cref="ILimitCounters"/> must do, in memory and in PostgreSQL. "Two instances" are two counter sets on
/// one store; in memory the process's one set is both, since each instance counts only its own calls.
/// </summary>
public abstract class LimitCountersContract : StoreContract, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _others = [];

    protected abstract ILimitCounters Counters { get; }

    /// <summary>The counters of another instance on the same store.</summary>
    protected abstract Task<ILimitCounters> SecondInstanceAsync();

    /// <summary>Something a test created besides the backend, disposed with it.</summary>
    protected void DisposeLater(IAsyncDisposable other) => _others.Add(other);

    Task IAsyncLifetime.InitializeAsync() => InitializeAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        foreach (var other in _others)
        {
            await other.DisposeAsync();
        }

        await DisposeAsync();
    }

    protected static AgentRunContext Run(string runId = "run-1") => new("conv-1", runId, "billing", new Principal("alice", "user"));

    protected static LimitCheck Window(string key, int limit) => new(null, null, [new LimitWindow(key, limit)]);

    protected static LimitCheck Loop(AgentRunContext run, string callId, int limit, string arguments = "hash-1") =>
        new(run, new LoopCall("billing/get_invoice", arguments, callId, limit), []);

    [Fact]
    public async Task WindowAdmitsItsLimitThenRefusesUntilItEnds()
    {
        var verdicts = new List<LimitVerdict>();
        for (var i = 0; i < 4; i++)
        {
            verdicts.Add(await Counters.CountAsync(Window("c\nconv-1", 3)));
        }

        Assert.Equal([true, true, true, false], verdicts.Select(v => v.Allowed));
        var refused = verdicts[3];
        Assert.False(refused.LoopStopped);
        Assert.Equal(0, refused.RefusedWindow);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromSeconds(1), LimitWindow.Length);
    }

    [Fact]
    public async Task LimitOfNAcrossTwoInstancesAdmitsExactlyNOfFourNConcurrentCalls()
    {
        const int limit = 10;
        var second = await SecondInstanceAsync();
        var instances = new[] { Counters, second };

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 4 * limit)
            .Select(i => Task.Run(async () => await instances[i % 2].CountAsync(Window("c\nconv-shared", limit)))));

        Assert.Equal(limit, verdicts.Count(v => v.Allowed));
        Assert.All(verdicts.Where(v => !v.Allowed), v => Assert.Equal(0, v.RefusedWindow));
    }

    [Fact]
    public async Task LoopOfIdenticalCallsAlternatingBetweenInstancesIsStoppedAtTheLimit()
    {
        var second = await SecondInstanceAsync();
        var run = Run();
        var verdicts = new List<LimitVerdict>();
        for (var i = 1; i <= 5; i++)
        {
            verdicts.Add(await (i % 2 == 1 ? Counters : second).CountAsync(Loop(run, $"call_{i}", 3)));
        }

        Assert.Equal([true, true, true, false, false], verdicts.Select(v => v.Allowed));
        Assert.True(verdicts[3].LoopStopped);
        Assert.Equal([1, 2, 3, 4, 5], verdicts.Select(v => v.LoopCalls));
    }

    [Fact]
    public async Task RetriedToolCallIdCountsOnceForTheLoopOnEitherInstance()
    {
        var second = await SecondInstanceAsync();
        var run = Run();

        var counts = new List<int>
        {
            (await Counters.CountAsync(Loop(run, "call_1", 2))).LoopCalls,
            (await second.CountAsync(Loop(run, "call_1", 2))).LoopCalls,
            (await Counters.CountAsync(Loop(run, "call_1", 2))).LoopCalls,
            (await second.CountAsync(Loop(run, "call_2", 2))).LoopCalls,
        };
        var third = await Counters.CountAsync(Loop(run, "call_3", 2));

        Assert.Equal([1, 1, 1, 2], counts);
        Assert.True(third.LoopStopped);
        Assert.Equal(3, third.LoopCalls);
    }

    [Fact]
    public async Task LoopCountsAreKeptPerRunToolAndArguments()
    {
        var run = Run("run-1");
        await Counters.CountAsync(Loop(run, "call_1", 1));

        var sameAgain = await Counters.CountAsync(Loop(run, "call_2", 1));
        var otherArguments = await Counters.CountAsync(Loop(run, "call_3", 1, arguments: "hash-2"));
        var otherRun = await Counters.CountAsync(Loop(Run("run-2"), "call_4", 1));

        Assert.True(sameAgain.LoopStopped);
        Assert.True(otherArguments.Allowed);
        Assert.True(otherRun.Allowed);
    }

    [Fact]
    public async Task WindowThatRefusesLeavesTheWindowsAfterItUncounted()
    {
        var run = Run();
        var both = new LimitCheck(run, null, [new LimitWindow("c\nconv-1", 1), new LimitWindow("p\nname:ALICE", 3)]);

        var first = await Counters.CountAsync(both);
        var second = await Counters.CountAsync(both);
        var principalAlone = new List<bool>();
        for (var i = 0; i < 3; i++)
        {
            principalAlone.Add((await Counters.CountAsync(Window("p\nname:ALICE", 3))).Allowed);
        }

        Assert.True(first.Allowed);
        Assert.Equal(0, second.RefusedWindow);
        Assert.Equal([true, true, false], principalAlone);
    }

    [Fact]
    public async Task LoopStopComesBeforeAnyWindowIsCounted()
    {
        var run = Run();
        var check = new LimitCheck(run, new LoopCall("billing/get_invoice", "hash-1", "call_1", 1), [new LimitWindow("c\nconv-1", 2)]);
        await Counters.CountAsync(check);

        var looping = await Counters.CountAsync(check with { Loop = check.Loop! with { ToolCallId = "call_2" } });
        var window = await Counters.CountAsync(Window("c\nconv-1", 2));

        Assert.True(looping.LoopStopped);
        Assert.True(window.Allowed);
    }

    [Fact]
    public async Task EachKeyAndLimitHasItsOwnWindow()
    {
        await Counters.CountAsync(Window("c\nconv-1", 1));

        var sameKey = await Counters.CountAsync(Window("c\nconv-1", 1));
        var otherKey = await Counters.CountAsync(Window("c\nconv-2", 1));
        var reloadedLimit = await Counters.CountAsync(Window("c\nconv-1", 2));

        Assert.False(sameKey.Allowed);
        Assert.True(otherKey.Allowed);
        Assert.True(reloadedLimit.Allowed);
    }

    [Fact]
    public async Task ReleasingIdleStateNeverLoosensAWindowThatHasNotEndedOrALiveRunsLoop()
    {
        var run = Run();
        await Counters.CountAsync(Window("t\nconv-1\nbilling\nbilling/get_invoice", 1));
        await Counters.CountAsync(Loop(run, "call_1", 1));

        Counters.ReleaseIdle(TimeSpan.Zero);
        var window = await Counters.CountAsync(Window("t\nconv-1\nbilling\nbilling/get_invoice", 1));
        var loop = await Counters.CountAsync(Loop(run, "call_2", 1));

        Assert.False(window.Allowed);
        Assert.True(loop.LoopStopped);
        GC.KeepAlive(run);
    }
}
