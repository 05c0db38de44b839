using System.CommandLine;
using AgentSuite.Cli.Api;

namespace AgentSuite.Cli.Commands;

/// <summary><c>--url</c>, <c>--token</c>, <c>--api-key</c>, <c>--user</c> and <c>--json</c>, valid on every command, with their environment defaults.</summary>
internal sealed class GlobalOptions
{
    public const string UrlVariable = "AGENTSUITE_URL";
    public const string TokenVariable = "AGENTSUITE_TOKEN";
    public const string ApiKeyVariable = "AGENTSUITE_API_KEY";
    public const string UserVariable = "AGENTSUITE_USER";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The Api's base URL [default: ${UrlVariable}, else {ApiConnection.DefaultBaseAddress}]",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"Bearer token from your identity provider, sent as Authorization: Bearer; wins over an API key [default: ${TokenVariable}]",
        Recursive = true,
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"API key, sent as X-Api-Key [default: ${ApiKeyVariable}]",
        Recursive = true,
    };

    public Option<string?> User { get; } = new("--user")
    {
        Description = $"Demo mode only (no keys or tokens on the Api): the name to act as, sent as X-User when no token or key is given [default: ${UserVariable}, else {ApiConnection.DefaultUser}]",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the Api's JSON on stdout for scripts, unstyled: one document, or JSON Lines for a turn's events (chat, conversations follow); messages and errors stay on stderr",
        Recursive = true,
    };

    public void AddTo(Command root)
    {
        root.Options.Add(Url);
        root.Options.Add(Token);
        root.Options.Add(ApiKey);
        root.Options.Add(User);
        root.Options.Add(Json);
    }

    public ApiConnection Resolve(ParseResult parse, Func<string, string?> environment)
    {
        var url = NonEmpty(parse.GetValue(Url)) ?? NonEmpty(environment(UrlVariable));
        var baseAddress = url is null ? ApiConnection.DefaultBaseAddress : ParseUrl(url);
        var key = NonEmpty(parse.GetValue(ApiKey)) ?? NonEmpty(environment(ApiKeyVariable));
        var user = NonEmpty(parse.GetValue(User)) ?? NonEmpty(environment(UserVariable));
        var token = NonEmpty(parse.GetValue(Token)) ?? NonEmpty(environment(TokenVariable));
        return new ApiConnection(baseAddress, key, user) { Token = token is not null && token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? token[7..].Trim() : token };
    }

    private static Uri ParseUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"'{url}' is not an http:// or https:// URL; pass the Api's address, e.g. --url {ApiConnection.DefaultBaseAddress}");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
