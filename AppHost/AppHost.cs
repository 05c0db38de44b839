// The system's map: each resource, what it is given, and what it waits for. Every name, port, argument and variable
// comes from AppHostSettings, which tests/AgentSuite.Hosting.Tests compiles and runs too (docs/hosting.md).
using static AgentSuite.AppHost.AppHostSettings;

var builder = DistributedApplication.CreateBuilder(args);

// The run's state in one git-ignored folder: the Api's store and each plugin's SQLite file (delete it to re-seed).
var dataFolder = Path.Combine(builder.AppHostDirectory, DataFolder);

// The MCP tool servers, each its own process serving Streamable HTTP at /mcp and health at /health.
var billing = AddPlugin<Projects.Billing_McpServer>(Billing);
var crm = AddPlugin<Projects.Crm_McpServer>(Crm);
var policy = AddPlugin<Projects.Policy_McpServer>(Policy);

// The Api and its web page, reaching each plugin through Mcp:Servers:NAME:Url. The URLs are passed explicitly because
// the service discovery packages are not used here; an entry under Mcp:Servers also turns off the stdio defaults.
var api = builder.AddProject<Projects.AgentSuite_Api>(Api.Name, launchProfileName: null)
    .WithHttpEndpoint(port: Api.Port, isProxied: false)
    .WithExternalHttpEndpoints()
    .WithEnvironment(UrlsVariable, Api.Url)
    .WithEnvironment(DataFolderVariable, dataFolder)
    .WithEnvironment(McpUrlVariable(Billing), $"{billing.GetEndpoint(EndpointName)}{McpPath}")
    .WithEnvironment(McpUrlVariable(Crm), $"{crm.GetEndpoint(EndpointName)}{McpPath}")
    .WithEnvironment(McpUrlVariable(Policy), $"{policy.GetEndpoint(EndpointName)}{McpPath}")
    .WithHttpHealthCheck(HealthPath)
    .WaitFor(billing)
    .WaitFor(crm)
    .WaitFor(policy);

// The model: by default the deterministic mock as its own process, reached over the OpenAI protocol, so the dashboard
// shows each model call crossing the wire; a real OpenAI-compatible endpoint replaces it when the parameter
// model-endpoint is set (user secrets or environment: Parameters:model-endpoint, Parameters:model-name,
// Parameters:model-api-key).
api.WithEnvironment(ModelProviderVariable, OpenAIProvider);
if (string.IsNullOrEmpty(builder.Configuration[$"Parameters:{ModelEndpointParameter}"]))
{
    var model = builder.AddProject<Projects.AgentSuite_MockModelServer>(MockModel.Name, launchProfileName: null)
        .WithHttpEndpoint(port: MockModel.Port, isProxied: false)
        .WithArgs(MockModel.ModelArguments())
        .WithHttpHealthCheck(HealthPath);
    api.WithEnvironment(ModelEndpointVariable, $"{model.GetEndpoint(EndpointName)}{ModelPath}")
        .WithEnvironment(ModelNameVariable, MockModelName)
        .WaitFor(model);
}
else
{
    api.WithEnvironment(ModelEndpointVariable, builder.AddParameter(ModelEndpointParameter))
        .WithEnvironment(ModelNameVariable, builder.AddParameter(ModelNameParameter))
        .WithEnvironment(ModelApiKeyVariable, builder.AddParameter(ModelApiKeyParameter, secret: true));
}

builder.Build().Run();

// A plugin server on its fixed port (no proxy: the port on its command line is the one the Api is given).
IResourceBuilder<ProjectResource> AddPlugin<TProject>(ResourceSettings plugin)
    where TProject : IProjectMetadata, new() =>
    builder.AddProject<TProject>(plugin.Name, launchProfileName: null)
        .WithHttpEndpoint(port: plugin.Port, isProxied: false)
        .WithArgs(plugin.PluginArguments(dataFolder))
        .WithHttpHealthCheck(HealthPath);
