using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AgentSuite.Api.Auth;

/// <summary>Reads <c>Auth:Jwt:SigningKeys</c>: each a PEM public key (RSA or EC), inline or in a file.</summary>
internal static class JwtSigningKeys
{
    public static IReadOnlyList<SecurityKey> Load(IEnumerable<string> entries, string contentRoot) =>
        [.. entries.Select((entry, i) => Load(entry, i, contentRoot))];

    private static SecurityKey Load(string entry, int index, string contentRoot)
    {
        var pem = entry.Trim();
        if (!pem.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(Path.Combine(contentRoot, pem));
            pem = File.Exists(path)
                ? File.ReadAllText(path)
                : throw new InvalidOperationException($"{JwtOptions.Section}:SigningKeys:{index} is neither a PEM key (-----BEGIN PUBLIC KEY-----...) nor an existing file ({path}).");
        }

        if (TryImport(RSA.Create(), pem) is { } rsa)
        {
            return new RsaSecurityKey(rsa);
        }

        return TryImport(ECDsa.Create(), pem) is { } ec
            ? new ECDsaSecurityKey(ec)
            : throw new InvalidOperationException($"{JwtOptions.Section}:SigningKeys:{index} is not an RSA or EC public key in PEM (-----BEGIN PUBLIC KEY-----...).");
    }

    private static T? TryImport<T>(T algorithm, string pem)
        where T : AsymmetricAlgorithm
    {
        try
        {
            algorithm.ImportFromPem(pem);
            return algorithm;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            algorithm.Dispose();
            return null;
        }
    }
}
