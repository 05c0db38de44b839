using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AgentSuite.Api.Approvals;

/// <summary>
/// The <c>X-AgentSuite-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c> over
/// <c>&lt;t&gt;.&lt;body&gt;</c> with the shared secret. The time inside the signed text lets a receiver refuse an old
/// notification sent again by someone who captured it.
/// </summary>
internal static class ApprovalWebhookSignature
{
    public const string Header = "X-AgentSuite-Signature";

    public static string Create(string secret, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        signed[timestamp.Length] = (byte)'.';
        body.CopyTo(signed.AsSpan(timestamp.Length + 1));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
