using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace AgentSuite.Cli.Tests.Support;

/// <summary>A program run to its end with its output kept; killed with its children if it outlasts its timeout.</summary>
public sealed record ProcessRun(int ExitCode, string Out, string Error)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static async Task<ProcessRun> RunAsync(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        var commandLine = string.Join(' ', start.ArgumentList.Prepend(file));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"'{commandLine}' did not start.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"'{commandLine}' could not start: {e.Message}.", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"'{commandLine}' did not finish within {Timeout}:\n{await output}\n{await error}");
            }

            return new ProcessRun(process.ExitCode, await output, await error);
        }
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";
}
