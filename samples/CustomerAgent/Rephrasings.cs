namespace CustomerAgent;

/// <summary>What the agent says: the request, then the same demand reworded, as an impatient agent retries until something gives.</summary>
internal static class Rephrasings
{
    public const string First = "I was charged twice on INV-1002, please refund it";

    private static readonly string[] Messages =
    [
        First,
        "Still nothing? I was double-charged on INV-1002. Refund the duplicate now.",
        "There is a duplicate charge on INV-1002, refund it please",
        "Following up: charged twice on INV-1002, where is my refund?",
        "Any update on my refund for INV-1002?",
        "I was charged twice on INV-1002. This is my final request: refund it.",
    ];

    /// <summary>The message of attempt <paramref name="attempt"/> (1-based): the request first, then the rewordings in turn.</summary>
    public static string For(int attempt) => Messages[(attempt - 1) % Messages.Length];
}
