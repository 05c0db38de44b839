namespace AgentSuite.Api.Status;

/// <summary>
/// Which model the Api talks to, as the start-up log and <c>GET /api/status</c> give it: the provider (<c>mock</c> or
/// <c>openai</c>), the model's name (the mock's script), and for OpenAI its endpoint with no credentials or query.
/// Never the key.
/// </summary>
internal sealed record ModelDescription(string Provider, string Name, string? Endpoint)
{
    public const string Mock = "mock";
    public const string OpenAI = "openai";

    /// <summary>The mock's name when it plays the built-in demo script.</summary>
    public const string DemoScript = "demo";

    /// <summary>The OpenAI-compatible model <paramref name="name"/> at <paramref name="endpoint"/> (null: OpenAI's own Api).</summary>
    public static ModelDescription ForOpenAI(string name, Uri? endpoint) =>
        new(OpenAI, name, endpoint?.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped));

    /// <summary>One line for the log.</summary>
    public override string ToString() => Provider == OpenAI
        ? $"'{Name}' over the OpenAI protocol at {Endpoint ?? "the OpenAI API"}"
        : Name == DemoScript ? "the mock with the demo script" : $"the mock with the script {Name}";
}
