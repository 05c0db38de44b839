namespace AgentSuite.Models;

/// <summary>
/// Turns a recording (<see cref="RecordingChatClient"/>) into the mock script that replays it: per agent, one rule per
/// recorded turn, matching its user message exactly, whose steps are the recorded calls (arguments as literal JSON) and
/// replies (literal text). The script is strict (<c>replay: true</c>): see <see cref="ReplayDivergenceException"/>.
/// </summary>
public static class RecordingConverter
{
    /// <summary>The file extension of recordings; <see cref="MockScript.Load"/> converts such a file before reading it.</summary>
    public const string Extension = ".jsonl";

    public static bool IsRecording(string path) => Path.GetExtension(path).Equals(Extension, StringComparison.OrdinalIgnoreCase);

    /// <exception cref="FileNotFoundException">There is no file at <paramref name="recordingPath"/>.</exception>
    /// <exception cref="MockScriptException">A line is not a recorded exchange; the message names the file and the line.</exception>
    public static string ToScriptYaml(string recordingPath)
    {
        var full = Path.GetFullPath(recordingPath);
        return File.Exists(full)
            ? ToScriptYaml(File.ReadLines(full), Path.GetFileName(full))
            : throw new FileNotFoundException($"The recording '{full}' does not exist. Recordings are written to the Model:RecordTo folder, one file per conversation.", full);
    }

    /// <param name="lines">The recording's lines.</param>
    /// <param name="recordingName">The recording's name, for the script's header and error messages.</param>
    public static string ToScriptYaml(IEnumerable<string> lines, string recordingName)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var turns = new List<RecordedTurn>();
        var skipped = new List<int>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var exchange = RecordedExchange.Read(line, number, recordingName);
            if (exchange.User is null)
            {
                skipped.Add(number);
                continue;
            }

            // A later model call of a turn continues the latest turn of that agent on that message (specialists may interleave).
            var agent = exchange.Agent ?? MockScript.AnyAgent;
            var turn = exchange.Step == 0 ? null : turns.LastOrDefault(t => t.Agent == agent && t.User == exchange.User);
            if (turn is null)
            {
                turn = new RecordedTurn(agent, exchange.User);
                turns.Add(turn);
            }

            turn.Exchanges.Add(exchange);
        }

        return ReplayScriptWriter.Write(recordingName, turns, skipped);
    }
}
