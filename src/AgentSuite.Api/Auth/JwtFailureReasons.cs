using System.Globalization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentSuite.Api.Auth;

/// <summary>Says why a bearer token was refused, in words a caller can act on, from what token validation threw.</summary>
internal static class JwtFailureReasons
{
    /// <summary>Why <paramref name="token"/> (the one presented, read without trusting it, when it parses) was refused.</summary>
    public static string Describe(Exception? failure, JwtOptions options, JsonWebToken? token) => failure switch
    {
        null => "Send a bearer token in the Authorization header (Authorization: Bearer <token>).",
        SecurityTokenExpiredException expired =>
            $"The bearer token expired at {Time(expired.Expires)}; sign in again for a fresh one.",
        SecurityTokenNotYetValidException early =>
            $"The bearer token is not valid before {Time(early.NotBefore)}; check the clocks of this machine and the identity provider.",
        SecurityTokenInvalidAudienceException audience =>
            $"The bearer token is for audience '{Either(audience.InvalidAudience, token is null ? null : string.Join(", ", token.Audiences))}', not this Api ({string.Join(", ", options.AllAudiences)}); request a token for {options.AllAudiences[0]}.",
        SecurityTokenInvalidIssuerException issuer =>
            $"The bearer token was issued by '{Either(issuer.InvalidIssuer, token?.Issuer)}', not by the issuer this Api trusts{Trusted(options)}.",
        SecurityTokenInvalidSignatureException =>
            "The bearer token's signature does not verify against the issuer's signing keys: it was altered, or signed by a key the issuer does not publish.",
        SecurityTokenNoExpirationException =>
            "The bearer token has no expiry (exp); the Api accepts only tokens that expire.",
        SecurityTokenMalformedException or ArgumentException =>
            "The bearer token is not a well-formed JWT (three base64url parts separated by dots).",
        _ => failure.Message,
    };

    /// <summary>The discovery document or its keys could not be fetched: the provider's fault or the network's, not the caller's.</summary>
    public static string ProviderUnavailable(JwtOptions options, Exception failure) =>
        $"The Api could not read the identity provider's signing keys from {options.Authority} ({Innermost(failure).Message}), so it cannot check tokens now; try again shortly, and check {JwtOptions.Section}:Authority and that the provider is reachable from the Api.";

    private static Exception Innermost(Exception failure) => failure.InnerException is { } inner ? Innermost(inner) : failure;

    private static string Either(string? reported, string? read) => string.IsNullOrEmpty(reported) ? read ?? "" : reported;

    private static string Trusted(JwtOptions options) =>
        !string.IsNullOrWhiteSpace(options.Issuer) ? $" ('{options.Issuer}')" : $" (the one {options.Authority} publishes)";

    private static string Time(DateTime at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
