namespace Crm.McpServer;

/// <summary>The customers matching a query; <see cref="Note"/> says how to search again when nothing matched.</summary>
public sealed record CustomerSearch(string Query, IReadOnlyList<Customer> Matches, string? Note);
