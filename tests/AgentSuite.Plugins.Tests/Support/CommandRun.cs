using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace AgentSuite.Plugins.Tests.Support;

/// <summary>A command run to its end with its output kept: killed (with its children) if it outlasts its timeout.</summary>
public sealed record CommandRun(int ExitCode, string Output, string Error)
{
    /// <summary>
    /// Runs <paramref name="file"/> in <paramref name="folder"/>, with <paramref name="environment"/> added to this process's
    /// environment; a missing program fails naming the whole command line.
    /// </summary>
    public static async Task<CommandRun> RunAsync(string file, IEnumerable<string> arguments, string folder, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = folder,
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
            throw new InvalidOperationException($"'{commandLine}' could not start: {e.Message}. Is {file} installed and on PATH?", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            var output = new StringBuilder();
            var error = new StringBuilder();
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(error, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var deadline = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"'{commandLine}' in {folder} did not finish within {timeout}. Its output:\n{Text(output)}\n{Text(error)}");
            }

            return new CommandRun(process.ExitCode, Text(output), Text(error));
        }
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Output}\n--- stderr ---\n{Error}";
}
