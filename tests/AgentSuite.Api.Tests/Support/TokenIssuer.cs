using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentSuite.Api.Tests.Support;

/// <summary>
/// An identity provider of the test's own: an RSA key it creates, tokens it signs, and (after <see cref="ServeAsync"/>)
/// its OpenID Connect discovery document and JWKS on real Kestrel at http://127.0.0.1 on a free port.
/// </summary>
public sealed class TokenIssuer : IAsyncDisposable
{
    public const string Audience = "api://agentsuite-tests";

    private readonly RSA _key = RSA.Create(2048);
    private readonly string _keyId = Guid.NewGuid().ToString("N");
    private WebApplication? _app;

    /// <summary>The <c>iss</c> of its tokens: the authority's URL once serving, a fixed name before.</summary>
    public string Issuer { get; private set; } = "https://issuer.agentsuite.test";

    /// <summary>The public key, as <c>Auth:Jwt:SigningKeys:N</c> takes it.</summary>
    public string PublicKeyPem => _key.ExportSubjectPublicKeyInfoPem();

    /// <summary>Serves <c>/.well-known/openid-configuration</c> and <c>/jwks</c>; <see cref="Issuer"/> becomes its URL.</summary>
    public static async Task<TokenIssuer> ServeAsync()
    {
        var issuer = new TokenIssuer();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = issuer.Issuer,
            ["jwks_uri"] = issuer.Issuer + "/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () => Results.Json(new { keys = new[] { issuer.Jwk() } }));
        await app.StartAsync();
        issuer._app = app;
        issuer.Issuer = app.Urls.Single().TrimEnd('/');
        return issuer;
    }

    /// <summary>The Api settings that trust this issuer: its discovery document when serving, its issuer and key otherwise.</summary>
    public Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = _app is null
            ? new Dictionary<string, string?> { ["Auth:Jwt:Issuer"] = Issuer, ["Auth:Jwt:SigningKeys:0"] = PublicKeyPem }
            : new Dictionary<string, string?> { ["Auth:Jwt:Authority"] = Issuer, ["Auth:Jwt:RequireHttpsMetadata"] = "false" };
        settings["Auth:Jwt:Audience"] = Audience;
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>A token for <paramref name="subject"/>; each optional part replaces what a valid token would carry.</summary>
    public string Token(string subject, string? name, string[] roles, string? audience = null, string? issuer = null, DateTime? expires = null, RSA? signedBy = null)
    {
        var claims = new Dictionary<string, object> { ["sub"] = subject, ["roles"] = roles };
        if (name is not null)
        {
            claims["name"] = name;
        }

        var until = expires ?? DateTime.UtcNow.AddMinutes(30);
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            Claims = claims,
            IssuedAt = until.AddHours(-1),
            NotBefore = until.AddHours(-1),
            Expires = until,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signedBy ?? _key) { KeyId = _keyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A client of <paramref name="api"/> presenting <paramref name="token"/> as <c>Authorization: Bearer</c>.</summary>
    public static HttpClient Client(Uri api, string token)
    {
        var client = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(120) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _key.Dispose();
    }

    private Dictionary<string, string> Jwk()
    {
        var p = _key.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = _keyId,
            ["n"] = Base64UrlEncoder.Encode(p.Modulus),
            ["e"] = Base64UrlEncoder.Encode(p.Exponent),
        };
    }
}
