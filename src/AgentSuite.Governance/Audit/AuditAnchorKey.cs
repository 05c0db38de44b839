using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace AgentSuite.Governance.Audit;

/// <summary>The HMAC key that signs anchors: from configuration, else from a key file that the first start creates.</summary>
public sealed class AuditAnchorKey
{
    private const int MinimumBytes = 32;

    private readonly byte[] _key;

    public AuditAnchorKey(byte[] key)
    {
        if (key.Length < MinimumBytes)
        {
            throw new ArgumentException($"The audit anchor key has {key.Length} bytes; it needs at least {MinimumBytes}.", nameof(key));
        }

        _key = key;
        Id = Convert.ToHexStringLower(SHA256.HashData(key))[..16];
    }

    /// <summary>Names the key without revealing it (the first 16 hex digits of its SHA-256).</summary>
    public string Id { get; }

    public AuditAnchor Sign(AuditAnchor anchor)
    {
        var unsigned = anchor with { KeyId = Id, Signature = null };
        return unsigned with { Signature = AuditAnchorSignature.Compute(_key, unsigned) };
    }

    public bool Verifies(AuditAnchor anchor) => AuditAnchorSignature.Verifies(_key, anchor);

    /// <summary>
    /// <see cref="AuditAnchorOptions.Key"/> when set; otherwise the key in <paramref name="keyFile"/>, created with 32
    /// random bytes (readable by this user only) when it does not exist yet.
    /// </summary>
    public static AuditAnchorKey Load(string? configured, string keyFile, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return new AuditAnchorKey(Decode(configured, "Governance:Audit:Anchor:Key"));
        }

        if (File.Exists(keyFile))
        {
            return new AuditAnchorKey(Decode(File.ReadAllText(keyFile).Trim(), keyFile));
        }

        var key = RandomNumberGenerator.GetBytes(MinimumBytes);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(keyFile)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(keyFile, options))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(Convert.ToBase64String(key));
            writer.Flush();
            file.Flush(flushToDisk: true);
        }

        logger.LogWarning(
            "Generated a new audit anchor key in {KeyFile} (mode 0600). In production supply your own with Governance:Audit:Anchor:Key (user-secrets or the environment) and keep it away from the database's writers.",
            keyFile);
        return new AuditAnchorKey(key);
    }

    private static byte[] Decode(string base64, string source)
    {
        try
        {
            var key = Convert.FromBase64String(base64);
            return key.Length >= MinimumBytes
                ? key
                : throw new InvalidOperationException($"The audit anchor key in {source} has {key.Length} bytes; it needs at least {MinimumBytes} (create one with: openssl rand -base64 32).");
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"The audit anchor key in {source} is not base64; create one with: openssl rand -base64 32.");
        }
    }
}
