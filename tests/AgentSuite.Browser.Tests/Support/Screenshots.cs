namespace AgentSuite.Browser.Tests.Support;

/// <summary>Where the tests' screenshots land: TestResults/screenshots beside the test assembly.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public static string PathFor(string test, string step)
    {
        Directory.CreateDirectory(Folder);
        return Path.Combine(Folder, $"{test}.{step}.png");
    }
}
