using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AgentSuite.Api.Auth;

/// <summary>
/// Who the caller is: an API key (<c>Auth:Keys</c>), a bearer token (<c>Auth:Jwt</c>), or both side by side. The
/// <see cref="SchemeName"/> policy scheme picks per request: <c>Authorization: Bearer</c> goes to the token's scheme,
/// anything else to the key's (which, with neither configured, is local demo mode).
/// </summary>
internal static class CallerAuthentication
{
    public const string SchemeName = "Caller";

    public static IServiceCollection AddCallerAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection("Auth")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddOptions<JwtOptions>().Bind(configuration.GetSection(JwtOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();

        var jwt = configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
        services.PostConfigure<ApiKeyOptions>(o => o.BearerTokens = jwt.Enabled);
        var authentication = services.AddAuthentication(SchemeName)
            .AddPolicyScheme(SchemeName, "API key or bearer token", o => o.ForwardDefaultSelector = context =>
                jwt.Enabled && IsBearer(context.Request) ? JwtBearerDefaults.AuthenticationScheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (jwt.Enabled)
        {
            // Read once, when the token check is first set up; the container frees them when the app stops.
            services.AddSingleton(_ => JwtSigningKeys.Load(jwt.SigningKeys, environment.ContentRootPath));
            services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<JwtSigningKeys>((o, keys) => Configure(o, jwt, keys));
            authentication.AddJwtBearer();
        }

        return services;
    }

    private static bool IsBearer(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private static void Configure(JwtBearerOptions o, JwtOptions jwt, JwtSigningKeys keys)
    {
        // The token's own claim names (sub, name, roles), not the WS-Federation URIs they would be renamed to.
        o.MapInboundClaims = false;
        o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            o.Authority = jwt.Authority;
        }

        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidAudiences = jwt.AllAudiences,
            ValidIssuer = string.IsNullOrWhiteSpace(jwt.Issuer) ? null : jwt.Issuer,
            IssuerSigningKeys = keys.Keys,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
        };
        o.Events = new JwtCallerEvents(jwt);
    }
}
