using System.Runtime.CompilerServices;
using AgentSuite.Governance.Configuration;
using AgentSuite.Governance.Filters;
using AgentSuite.Governance.IdleState;
using AgentSuite.Governance.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace AgentSuite.Governance.Tests.Filters;

/// <summary>
/// Governance:IdleStateRelease: the limits filter's per-conversation and per-run state goes once idle, through the
/// registered sweeper on a fake clock, and the limits count the same on both sides of a release.
/// </summary>
public sealed class IdleStateReleaseTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly List<GovernanceHarness> _harnesses = [];
    private readonly CountingTool _counter = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var h in _harnesses)
        {
            foreach (var service in h.Services.GetServices<IHostedService>())
            {
                await service.StopAsync(CancellationToken.None);
            }

            h.Dispose();
        }
    }

    [Fact]
    public async Task IdleRateWindowIsKeptUntilItsMinuteEnds()
    {
        var (tool, limits) = await StartAsync(o => o.Limits.PerToolPerMinute = 2);
        var run = GovernanceHarness.Run();

        var first = await Call(tool, run, "c1", "inv-1");
        var second = await Call(tool, run, "c2", "inv-2");
        _time.Advance(TimeSpan.FromSeconds(30));
        var held = limits.HeldWindows;
        var third = await Call(tool, run, "c3", "inv-3");

        Assert.Equal(ToolCallStatus.Completed, first.Status);
        Assert.Equal(ToolCallStatus.Completed, second.Status);
        Assert.Equal(1, held);
        Assert.Equal(ToolCallStatus.Denied, third.Status);
        Assert.Contains("more than 2 calls per minute", third.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EndedIdleRateWindowIsReleasedAndTheLimitHoldsInTheNextWindow()
    {
        var (tool, limits) = await StartAsync(o => o.Limits.PerToolPerMinute = 2);
        var run = GovernanceHarness.Run();

        await Call(tool, run, "c1", "inv-1");
        await Call(tool, run, "c2", "inv-2");
        var heldBefore = limits.HeldWindows;
        _time.Advance(TimeSpan.FromSeconds(61));
        var heldAfter = limits.HeldWindows;
        var statuses = new List<ToolCallStatus>
        {
            (await Call(tool, run, "c3", "inv-3")).Status,
            (await Call(tool, run, "c4", "inv-4")).Status,
            (await Call(tool, run, "c5", "inv-5")).Status,
        };

        Assert.Equal(1, heldBefore);
        Assert.Equal(0, heldAfter);
        Assert.Equal([ToolCallStatus.Completed, ToolCallStatus.Completed, ToolCallStatus.Denied], statuses);
        Assert.Equal(4, _counter.Calls);
    }

    [Fact]
    public async Task EndedWindowUsedWithinTheIntervalIsKept()
    {
        var (tool, limits) = await StartAsync(o =>
        {
            o.Limits.PerConversationPerMinute = 2;
            o.IdleStateRelease = TimeSpan.FromMinutes(5);
        });
        var run = GovernanceHarness.Run();

        await Call(tool, run, "c1", "inv-1");
        await Call(tool, run, "c2", "inv-2");
        _time.Advance(TimeSpan.FromMinutes(2));
        var heldAfterTwoMinutes = limits.HeldWindows;
        _time.Advance(TimeSpan.FromMinutes(4));
        var heldAfterSixMinutes = limits.HeldWindows;

        Assert.Equal(1, heldAfterTwoMinutes);
        Assert.Equal(0, heldAfterSixMinutes);
    }

    [Fact]
    public async Task LoopCountersOfARunningRunOutliveAnyIdleTime()
    {
        var (tool, limits) = await StartAsync(o =>
        {
            o.Limits.MaxIdenticalCallsPerRun = 2;
            o.Agents["coordinator"] = new AgentPolicyOptions { Allow = ["billing/*"] };
        });
        var run = GovernanceHarness.Run(agent: "coordinator", run: "run-long");

        // The coordinator's own governed call (a hand-off, in the product) ties the run's counters to its context; its
        // specialist repeats a call, then the run waits (e.g. for an approval) far longer than the interval.
        var own = await Call(tool, run, "h1", "inv-0");
        var specialist = run.ForHandOff("billing", "h1");
        var first = await Call(tool, specialist, "c1", "inv-1");
        var second = await Call(tool, specialist, "c2", "inv-1");
        specialist = null;
        Collect();
        _time.Advance(TimeSpan.FromHours(2));
        Collect();
        _time.Advance(Interval);
        var held = limits.HeldRuns;
        var third = await Call(tool, run.ForHandOff("billing", "h2"), "c3", "inv-1");

        Assert.Equal(ToolCallStatus.Completed, own.Status);
        Assert.Equal(ToolCallStatus.Completed, first.Status);
        Assert.Equal(ToolCallStatus.Completed, second.Status);
        Assert.Equal(1, held);
        Assert.Equal(ToolCallStatus.Denied, third.Status);
        Assert.Contains("called 3 times with the same arguments in this run (limit 2)", third.Reason, StringComparison.Ordinal);
        GC.KeepAlive(run);
    }

    [Fact]
    public async Task LoopCountersGoWhenTheirRunHasEnded()
    {
        var (tool, limits) = await StartAsync(o => o.Limits.MaxIdenticalCallsPerRun = 2);

        await RunThatEndsAsync(tool, "run-ended-1");
        await RunThatEndsAsync(tool, "run-ended-2");
        var heldWhileIndexed = limits.HeldRuns;
        Collect();
        _time.Advance(Interval);

        Assert.Equal(2, heldWhileIndexed);
        Assert.Equal(0, limits.HeldRuns);
    }

    [Fact]
    public async Task SweeperReleasesWithoutAnyFurtherCall()
    {
        var (tool, limits) = await StartAsync(o =>
        {
            o.Limits.PerConversationPerMinute = 5;
            o.Limits.PerToolPerMinute = 5;
        });

        for (var i = 0; i < 20; i++)
        {
            await Call(tool, GovernanceHarness.Run(conversation: $"conv-{i}", run: $"run-{i}"), "c1", "inv-1");
        }

        var held = limits.HeldWindows;
        _time.Advance(TimeSpan.FromSeconds(75));

        Assert.Equal(40, held);
        Assert.Equal(0, limits.HeldWindows);
    }

    [Fact]
    public async Task NonPositiveIntervalMakesPolicyInvalidAndDeniesCalls()
    {
        var (tool, _) = await StartAsync(o => o.IdleStateRelease = TimeSpan.Zero);

        var outcome = await Call(tool, GovernanceHarness.Run(), "c1", "inv-1");

        Assert.Equal(ToolCallStatus.Denied, outcome.Status);
        Assert.Equal("policy", outcome.Stage);
        Assert.Contains("IdleStateRelease must be positive", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _counter.Calls);
    }

    private async Task<(GovernedTool Tool, RateLimitFilter Limits)> StartAsync(Action<GovernanceOptions> configure)
    {
        var h = new GovernanceHarness(
            o =>
            {
                o.IdleStateRelease = Interval;
                o.Limits.PerConversationPerMinute = 0;
                o.Limits.PerToolPerMinute = 0;
                o.Limits.MaxIdenticalCallsPerRun = 0;
                configure(o);
            },
            overrideServices: s => s.AddSingleton<TimeProvider>(_time));
        _harnesses.Add(h);
        foreach (var service in h.Services.GetServices<IHostedService>())
        {
            await service.StartAsync(CancellationToken.None);
        }

        Assert.Single(h.Services.GetServices<IHostedService>().OfType<IdleStateSweeper>());
        var limits = h.Services.GetServices<IToolCallFilter>().OfType<RateLimitFilter>().Single();
        return (h.Tool(_counter.Lookup(), annotations: ToolAnnotations.ReadOnly), limits);
    }

    private static Task<ToolCallOutcome> Call(GovernedTool tool, AgentRunContext run, string id, string invoice) =>
        GovernanceHarness.CallAsync(tool, run, id, CountingTool.Args(("invoice_id", invoice)));

    // The run's context exists only in here, so once this returns the run has ended.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task RunThatEndsAsync(GovernedTool tool, string runId)
    {
        var run = GovernanceHarness.Run(run: runId);
        await Call(tool, run, "c1", "inv-1");
        await Call(tool, run, "c2", "inv-1");
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
