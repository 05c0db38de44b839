using AgentSuite.Models;
using Microsoft.Extensions.AI;

namespace Microsoft.Extensions.DependencyInjection;

public static class ModelRecordingServiceCollectionExtensions
{
    /// <summary>
    /// Records every exchange with the app's model: the <see cref="IChatClient"/> registered so far is wrapped in a
    /// <see cref="RecordingChatClient"/> writing <c>{folder}/{conversation}.jsonl</c> (a relative folder is taken from the
    /// current directory), with every one of <paramref name="secrets"/> (the API key, ...) written as <c>[secret]</c>.
    /// Call it after the chat client is registered, e.g. when <c>Model:RecordTo</c> is set:
    /// <c>services.AddModelRecording(recordTo, [configuration["Model:ApiKey"]])</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No <see cref="IChatClient"/> is registered yet.</exception>
    public static IServiceCollection AddModelRecording(this IServiceCollection services, string folder, IEnumerable<string?>? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var index = -1;
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == typeof(IChatClient) && !services[i].IsKeyedService)
            {
                index = i;
            }
        }

        if (index < 0)
        {
            throw new InvalidOperationException(
                "AddModelRecording records the app's IChatClient, and none is registered yet: call it after the model is registered (AddMockChatClient or the provider's).");
        }

        var inner = services[index];
        var full = Path.GetFullPath(folder);
        var kept = secrets?.ToList() ?? [];
        services[index] = ServiceDescriptor.Describe(
            typeof(IChatClient),
            sp => new RecordingChatClient(Create(sp, inner), full, kept, sp.GetService<TimeProvider>()),
            inner.Lifetime);
        return services;
    }

    private static IChatClient Create(IServiceProvider services, ServiceDescriptor inner) => (IChatClient)(
        inner.ImplementationInstance
        ?? inner.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.CreateInstance(services, inner.ImplementationType!));
}
