using System.Collections.Concurrent;
using System.Text;

namespace AgentSuite.Models;

/// <summary>
/// One recording file, appended one whole line at a time. Every writer of the process goes through the one instance per
/// path, in turn, so parallel specialists of a conversation and every client recording to the same folder keep each
/// line whole and number it in order; numbering continues after the lines already in the file.
/// </summary>
internal sealed class RecordingFile
{
    private static readonly ConcurrentDictionary<string, RecordingFile> Files = new(StringComparer.Ordinal);

    // Appending one line takes microseconds; waiting on a plain lock costs less than an asynchronous turn would.
    private readonly Lock _turn = new();
    private int? _lines;

    private RecordingFile(string path) => Path = path;

    public string Path { get; }

    public static RecordingFile For(string path) => Files.GetOrAdd(path, p => new RecordingFile(p));

    /// <summary>Appends the line <paramref name="line"/> writes for its sequence number (1-based, within the file).</summary>
    /// <exception cref="IOException">The line could not be written; the message names the file and what to do.</exception>
    public void Append(Func<int, string> line)
    {
        lock (_turn)
        {
            try
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                _lines ??= File.Exists(Path) ? File.ReadAllText(Path).Count(c => c == '\n') : 0;
                var bytes = Encoding.UTF8.GetBytes(line(_lines.Value + 1) + "\n");
                using (var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read))
                {
                    stream.Write(bytes);
                }

                _lines++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A half-written line may be in the file: count again before the next one.
                _lines = null;
                throw new IOException($"Could not record a model exchange to '{Path}': {ex.Message} Make the folder writable (Model:RecordTo) or stop recording; this exchange is not in the recording.", ex);
            }
        }
    }
}
