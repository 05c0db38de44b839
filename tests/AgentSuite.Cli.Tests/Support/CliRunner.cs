using AgentSuite.Cli;

namespace AgentSuite.Cli.Tests.Support;

/// <summary>
/// Runs <c>agentsuite</c> in-process through its entry point, with captured plain-text output, an environment of the
/// test's own (never the machine's AGENTSUITE_* variables) and, optionally, a canned transport instead of a real Api.
/// </summary>
public static class CliRunner
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static Task<CliResult> RunAsync(params string[] args) => RunAsync(args, new CliOptions());

    public static async Task<CliResult> RunAsync(string[] args, CliOptions options)
    {
        var output = options.Output ?? new LiveWriter();
        var error = new LiveWriter();
        var io = new CliIo(CliIo.PlainConsole(output, options.Width ?? 400), CliIo.PlainConsole(error, options.Width ?? 400), options.Input ?? TextReader.Null,
            name => options.Environment.TryGetValue(name, out var value) ? value : null)
        {
            Transport = options.Transport,
        };
        using var timeout = new CancellationTokenSource(options.Timeout ?? Timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, options.CancellationToken);
        var code = await CliApplication.RunAsync(args, io, linked.Token);
        Assert.False(timeout.IsCancellationRequested, $"agentsuite {string.Join(' ', args)} ran past {(options.Timeout ?? Timeout).TotalSeconds:0} s:\n{output.Text}\n{error.Text}");
        return new CliResult(code, output.Text, error.Text);
    }
}
