using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace AgentSuite.Api.Auth;

/// <summary>
/// <c>Auth:Jwt:SigningKeys</c>, read: each a PEM public key (RSA or EC), inline or in a file. Disposing it frees the
/// keys, so the set the token check uses lives as long as the app (a DI singleton) and a set read only to check the
/// settings is freed at once.
/// </summary>
internal sealed class JwtSigningKeys : IDisposable
{
    private readonly List<AsymmetricAlgorithm> _algorithms = [];

    private JwtSigningKeys()
    {
    }

    public IReadOnlyList<SecurityKey> Keys { get; private set; } = [];

    /// <summary>Reads every entry; throws <see cref="InvalidOperationException"/> naming the first one that is not a key, having freed those read before it.</summary>
    public static JwtSigningKeys Load(IEnumerable<string> entries, string contentRoot)
    {
        var set = new JwtSigningKeys();
        try
        {
            set.Keys = [.. entries.Select((entry, i) => set.Load(entry, i, contentRoot))];
            return set;
        }
        catch
        {
            set.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var algorithm in _algorithms)
        {
            algorithm.Dispose();
        }

        _algorithms.Clear();
    }

    private SecurityKey Load(string entry, int index, string contentRoot)
    {
        var pem = entry.Trim();
        if (!pem.StartsWith("-----BEGIN", StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(Path.Combine(contentRoot, pem));
            pem = File.Exists(path)
                ? File.ReadAllText(path)
                : throw new InvalidOperationException($"{JwtOptions.Section}:SigningKeys:{index} is neither a PEM key (-----BEGIN PUBLIC KEY-----...) nor an existing file ({path}).");
        }

        if (Import(RSA.Create(), pem) is { } rsa)
        {
            return new RsaSecurityKey(rsa);
        }

        return Import(ECDsa.Create(), pem) is { } ec
            ? new ECDsaSecurityKey(ec)
            : throw new InvalidOperationException($"{JwtOptions.Section}:SigningKeys:{index} is not an RSA or EC public key in PEM (-----BEGIN PUBLIC KEY-----...).");
    }

    private T? Import<T>(T algorithm, string pem)
        where T : AsymmetricAlgorithm
    {
        try
        {
            algorithm.ImportFromPem(pem);
            _algorithms.Add(algorithm);
            return algorithm;
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            algorithm.Dispose();
            return null;
        }
    }
}
