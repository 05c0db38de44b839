using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgentSuite.Governance.Audit;
using AgentSuite.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Api.Tests.Support;

/// <summary>
/// A data folder that outlives one Api (the audit anchor tests stop the Api and start another on it), with what a
/// tamperer with access to the files would do: delete the chain's tail, rebuild it after an edit, alter the anchor.
/// </summary>
public sealed class AnchoredDataFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agentsuite-anchor-tests", Guid.NewGuid().ToString("N"));

    public AnchoredDataFolder() => Directory.CreateDirectory(Path);

    public string AnchorFile => System.IO.Path.Combine(Path, "audit-anchor.json");

    public string KeyFile => System.IO.Path.Combine(Path, "audit-anchor.key");

    private string ConnectionString => $"Data Source={System.IO.Path.Combine(Path, "agentsuite.db")}";

    /// <summary>Starts the Api on this folder; <paramref name="everyEntries"/> is Governance:Audit:Anchor:EveryEntries.</summary>
    public Task<ApiServer> StartApiAsync(int everyEntries = 1000, CapturingLoggerProvider? logs = null) =>
        ApiServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["AgentSuite:DataFolder"] = Path,
                ["Governance:Audit:Anchor:EveryEntries"] = everyEntries.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
            logs is null ? null : builder => builder.Logging.AddProvider(logs));

    public AuditAnchor ReadAnchor() => AuditAnchorJson.Deserialize(File.ReadAllText(AnchorFile), AnchorFile);

    public JsonElement ReadAnchorJson() => JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(AnchorFile));

    /// <summary>The HMAC-SHA256 of the documented payload (docs/governance.md) under the key in the key file, computed here from the JSON alone.</summary>
    public string ExpectedSignature(JsonElement anchor)
    {
        var checkpoints = string.Join(',', anchor.GetProperty("checkpoints").EnumerateArray().Select(c => $"{c.GetProperty("seq").GetInt64()}:{c.GetProperty("hash").GetString()}"));
        var payload = $"agentsuite-audit-anchor/{anchor.GetProperty("version").GetInt32()}\ncount={anchor.GetProperty("count").GetInt64()}\nheadSeq={anchor.GetProperty("headSeq").GetInt64()}"
            + $"\nheadHash={anchor.GetProperty("headHash").GetString()}\nat={anchor.GetProperty("at").GetString()}\ncheckpoints={checkpoints}\nkeyId={anchor.GetProperty("keyId").GetString()}";
        var key = Convert.FromBase64String(File.ReadAllText(KeyFile).Trim());
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload)));
    }

    public (long Seq, string Hash) Head()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditChain.Genesis);
    }

    /// <summary>Deletes every entry after <paramref name="keepThrough"/>, as someone with write access to the file could.</summary>
    public void DeleteAfter(long keepThrough)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM audit_log WHERE seq > $seq";
        command.Parameters.AddWithValue("$seq", keepThrough);
        Assert.True(command.ExecuteNonQuery() > 0, "Nothing was deleted.");
    }

    /// <summary>Edits entry <paramref name="seq"/>'s reason and recomputes every hash from it to the end, so the chain itself verifies again.</summary>
    public async Task RebuildAfterEditAsync(long seq)
    {
        using var db = new SqliteGovernanceDatabase(new SqliteStorageOptions { ConnectionString = ConnectionString });
        using var store = new SqliteAuditStore(db);
        var records = new List<AuditRecord>();
        await foreach (var r in store.ReadAsync(new AuditQuery()))
        {
            records.Add(r);
        }

        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var prev = records.Single(r => r.Seq == seq).PrevHash;
        foreach (var record in records.Where(r => r.Seq >= seq))
        {
            var entry = record.Seq == seq ? record.Entry with { Reason = "nothing happened here" } : record.Entry;
            var relinked = AuditChain.Link(record.Seq, entry, prev);
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE audit_log SET reason = $reason, prev_hash = $prev, hash = $hash WHERE seq = $seq";
            update.Parameters.AddWithValue("$reason", (object?)entry.Reason ?? DBNull.Value);
            update.Parameters.AddWithValue("$prev", relinked.PrevHash);
            update.Parameters.AddWithValue("$hash", relinked.Hash);
            update.Parameters.AddWithValue("$seq", record.Seq);
            Assert.Equal(1, update.ExecuteNonQuery());
            prev = relinked.Hash;
        }

        transaction.Commit();
        Assert.True((await AuditVerifier.VerifyAsync(store)).Ok, "The rebuilt chain should verify on its own.");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A plugin process that is still exiting may hold its file a moment longer; the temp folder is cleaned eventually.
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }
}
