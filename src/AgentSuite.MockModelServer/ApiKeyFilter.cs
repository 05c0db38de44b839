using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace AgentSuite.MockModelServer;

/// <summary>When <c>MockModel:ApiKey</c> is set, lets through only requests that send it as <c>Authorization: Bearer</c>.</summary>
internal sealed class ApiKeyFilter(IOptions<MockModelServerOptions> options) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (options.Value.ApiKey is not { Length: > 0 } key)
        {
            return await next(context);
        }

        var authorization = context.HttpContext.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return OpenAIError.MissingApiKey();
        }

        return Matches(authorization[Scheme.Length..].Trim(), key) ? await next(context) : OpenAIError.WrongApiKey();
    }

    /// <summary>Compares hashes in constant time, so neither the key's content nor its length leaks through timing.</summary>
    private static bool Matches(string sent, string key) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(sent)), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
