namespace Example.McpServer;

/// <summary>One item as the tools return it (written in snake_case JSON).</summary>
public sealed record ExampleItem(string ItemId, string Name, string Status, string UpdatedAt);
