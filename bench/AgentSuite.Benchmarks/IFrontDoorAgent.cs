namespace AgentSuite.Benchmarks;

/// <summary>One external agent of the frontdoor benchmark: asks until <c>another</c> says stop, recording every call.</summary>
internal interface IFrontDoorAgent
{
    Task RunAsync(string phase, FrontDoorMix mix, Func<bool> another, FrontDoorTally tally, RefundBook book);
}
