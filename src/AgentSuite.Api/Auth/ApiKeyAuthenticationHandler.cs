using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using AgentSuite.Governance;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AgentSuite.Api.Auth;

/// <summary>
/// <c>X-Api-Key</c> against <c>Auth:Keys</c>, compared in constant time. With no keys and no bearer tokens configured (local demo mode) the
/// caller is whoever <c>X-User</c> names and holds every role; separation of duties still holds by name. A read without
/// <c>X-User</c> is <c>local-user</c>'s; a change (POST, PUT, PATCH, DELETE) without it is refused, since a custom
/// header forces the CORS preflight that a cross-site request would need and the Api never grants. Challenges and
/// refusals are problem details.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<ApiKeyOptions> keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyHeader = "X-Api-Key";
    public const string UserHeader = "X-User";
    public const string DefaultDemoUser = "local-user";
    private const int MaxUserNameLength = 64;

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var configured = keys.CurrentValue;
        if (configured.DemoMode)
        {
            var name = Request.Headers[UserHeader].ToString().Trim();
            if (name.Length == 0 && !IsSafe(Request.Method))
            {
                return Task.FromResult(AuthenticateResult.Fail(
                    $"In local demo mode every {Request.Method} names its caller: send the {UserHeader} header ({UserHeader}: alice, say). " +
                    "The Api requires it of every POST, PUT, PATCH and DELETE so that another website cannot act through a browser on this machine."));
            }

            if (name.Length == 0)
            {
                name = DefaultDemoUser;
            }

            if (name.Length > MaxUserNameLength || name.Any(char.IsControl))
            {
                return Task.FromResult(AuthenticateResult.Fail($"The {UserHeader} header must be a name of at most {MaxUserNameLength} printable characters."));
            }

            return Task.FromResult(Success(name, [Roles.User, Roles.Approver, Roles.Admin]));
        }

        var presented = Request.Headers[KeyHeader].ToString();
        if (presented.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.Fail(MissingCredentials(configured)));
        }

        if (configured.Keys.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.Fail($"This Api accepts no API keys; send a bearer token instead (Authorization: Bearer <token>)."));
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = configured.Keys.FirstOrDefault(k => CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.UTF8.GetBytes(k.Key))));
        return Task.FromResult(match is null
            ? AuthenticateResult.Fail($"The {KeyHeader} header does not match any configured key.")
            : Success(match.Name, match.Roles));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message ?? MissingCredentials(keys.CurrentValue);
        await Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "Not authenticated", failure);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => CallerRefusals.ForbiddenAsync(Context);

    /// <summary>What to send: a key, a bearer token, or either, as configured.</summary>
    private static string MissingCredentials(ApiKeyOptions configured) => (configured.Keys.Count > 0, configured.BearerTokens) switch
    {
        (true, true) => $"Send a bearer token (Authorization: Bearer <token>) or your API key in the {KeyHeader} header.",
        (false, true) => "Send a bearer token in the Authorization header (Authorization: Bearer <token>).",
        _ => $"Send your API key in the {KeyHeader} header.",
    };

    /// <summary>A read: with no <c>X-User</c>, the caller is <see cref="DefaultDemoUser"/>.</summary>
    private static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    private AuthenticateResult Success(string name, IEnumerable<string> roles)
    {
        var identity = new ClaimsIdentity(SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, name));
        foreach (var role in roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role.ToLowerInvariant()));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
