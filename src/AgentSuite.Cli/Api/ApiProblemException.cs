namespace AgentSuite.Cli.Api;

/// <summary>
/// The Api answered with an error: its RFC 9457 problem details (<c>title</c>, <c>status</c>, <c>detail</c>), or what
/// could be read of an answer that was not one.
/// </summary>
public sealed class ApiProblemException(int status, string title, string? detail)
    : Exception(detail is null ? $"{title} ({status})" : $"{detail} ({status} {title})")
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public string? Detail { get; } = detail;
}
