using AgentSuite.Models;
using Microsoft.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

public static class MockChatClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers the script-driven <see cref="MockChatClient"/> as the app's <see cref="IChatClient"/>, with its
    /// <see cref="MockScript"/>. A relative <paramref name="scriptPath"/> is looked up from the current directory, then
    /// beside the app (where <c>Scripts/demo.yaml</c> is copied). The script is read when the client is first resolved.
    /// </summary>
    public static IServiceCollection AddMockChatClient(this IServiceCollection services, string scriptPath) =>
        services.AddMockChatClient(scriptPath, MockCallIds.Sequential);

    /// <summary>As <see cref="AddMockChatClient(IServiceCollection, string)"/>, naming the mock's calls as <paramref name="callIds"/> says.</summary>
    public static IServiceCollection AddMockChatClient(this IServiceCollection services, string scriptPath, MockCallIds callIds)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scriptPath);
        services.AddSingleton(_ => MockScript.Load(Resolve(scriptPath)));
        services.AddSingleton(sp => new MockChatClient(sp.GetRequiredService<MockScript>(), callIds));
        services.AddSingleton<IChatClient>(sp => sp.GetRequiredService<MockChatClient>());
        return services;
    }

    /// <summary>Registers the mock model with the demo script of the sample domain.</summary>
    public static IServiceCollection AddMockChatClient(this IServiceCollection services) => services.AddMockChatClient(MockScript.DemoPath);

    private static string Resolve(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path))
        {
            return path;
        }

        var besideApp = Path.Combine(AppContext.BaseDirectory, path);
        return File.Exists(besideApp) ? besideApp : path;
    }
}
