namespace AgentSuite.Cli.Tests.Support;

/// <summary>Standard input with nobody typing: <c>ReadLine</c> blocks until the test releases it.</summary>
public sealed class BlockingReader : TextReader
{
    private readonly TaskCompletionSource _reading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _released = new();

    public Task Reading => _reading.Task;

    public override string? ReadLine()
    {
        _reading.TrySetResult();
        _released.Wait(TimeSpan.FromSeconds(30));
        return null;
    }

    public void Release() => _released.Set();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _released.Dispose();
        }

        base.Dispose(disposing);
    }
}
