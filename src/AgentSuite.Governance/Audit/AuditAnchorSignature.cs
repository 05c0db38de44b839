using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentSuite.Governance.Audit;

/// <summary>
/// What an anchor's HMAC covers: UTF-8 of these lines joined by <c>\n</c>, with no trailing newline, so anyone holding
/// the key can check an exported anchor with any HMAC tool (docs/governance.md shows one).
/// <code>
/// agentsuite-audit-anchor/1
/// count=120
/// headSeq=120
/// headHash=…
/// at=2026-12-06T06:40:00.1234567+00:00
/// checkpoints=100:…,110:…
/// keyId=…
/// </code>
/// </summary>
public static class AuditAnchorSignature
{
    public static string Payload(AuditAnchor anchor)
    {
        var checkpoints = string.Join(',', anchor.Checkpoints.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Seq}:{c.Hash}")));
        return string.Create(CultureInfo.InvariantCulture,
            $"agentsuite-audit-anchor/{anchor.Version}\ncount={anchor.Count}\nheadSeq={anchor.HeadSeq}\nheadHash={anchor.HeadHash}\nat={anchor.At}\ncheckpoints={checkpoints}\nkeyId={anchor.KeyId}");
    }

    public static string Compute(byte[] key, AuditAnchor anchor) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Payload(anchor))));

    /// <summary>Compares in constant time, so a forger learns nothing from how long a refusal takes.</summary>
    public static bool Verifies(byte[] key, AuditAnchor anchor) =>
        anchor.Signature is { Length: 64 } signature
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), Encoding.ASCII.GetBytes(Compute(key, anchor)));
}
