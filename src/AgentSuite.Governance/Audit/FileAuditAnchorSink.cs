namespace AgentSuite.Governance.Audit;

/// <summary>
/// The anchor as a JSON file, replaced atomically: written to a temporary file beside it, flushed to disk, then renamed
/// over the old one, so a crash leaves the old anchor or the new one, never half of either.
/// </summary>
public sealed class FileAuditAnchorSink(string path) : IAuditAnchorSink
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public async ValueTask WriteAsync(AuditAnchor anchor, CancellationToken cancellationToken = default)
    {
        var temporary = Path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await using (var writer = new StreamWriter(file, leaveOpen: true))
            {
                await writer.WriteAsync(AuditAnchorJson.Serialize(anchor).AsMemory(), cancellationToken);
            }

            file.Flush(flushToDisk: true);
        }

        // The folder is not fsynced after the rename: a rename lost to a power cut leaves the older anchor, still a true lower bound.
        File.Move(temporary, Path, overwrite: true);
    }

    public async ValueTask<AuditAnchor?> ReadAsync(CancellationToken cancellationToken = default)
    {
        string json;
        try
        {
            json = await File.ReadAllTextAsync(Path, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        return AuditAnchorJson.Deserialize(json, Path);
    }

    public string Describe() => Path;
}
