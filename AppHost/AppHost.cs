// The system's map: each resource, what it is given, and what it waits for (docs/hosting.md).
using AgentSuite.Mcp.ToolServers;

var builder = DistributedApplication.CreateBuilder(args);

// The run's state in one git-ignored folder: the Api's store and each tool server's SQLite file (delete it to re-seed).
// AgentSuite:DataFolder moves it (the tests give each run a temp folder); a relative path is under the AppHost folder.
var dataFolder = Path.Combine(builder.AppHostDirectory, builder.Configuration["AgentSuite:DataFolder"] ?? "data");

// Every resource serves plain HTTP on loopback, so none is given the development certificate (WithoutHttpsCertificate):
// with the http launch profile the run needs no trusted certificate and shows no warning about one.

// The MCP tool servers: one per entry of the one list, plugins/toolservers.json (docs/tool-servers.md), read below every
// other configuration source, so ToolServers__NAME__HttpPort and the like override it. A bad entry stops the start here.
// AgentSuite:PluginsFolder moves the folder (a relative path is under the AppHost folder).
var pluginsFolder = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, builder.Configuration["AgentSuite:PluginsFolder"] ?? Path.Combine("..", "plugins")));
IReadOnlyList<ToolServer> toolServers;
try
{
    toolServers = AppHostToolServers.Read(builder.Configuration, pluginsFolder);
}
catch (InvalidOperationException e)
{
    await Console.Error.WriteLineAsync($"The AppHost did not start: {e.Message}");
    return 2;
}

// An http entry is its own process serving Streamable HTTP at /mcp and health at /health. Each endpoint is proxied like
// every other: people find a tool server on its fixed port, tests on a free one, and the server listens where Aspire's
// ASPNETCORE_URLS says (the port behind the proxy).
var httpToolServers = new Dictionary<string, IResourceBuilder<ProjectResource>>(StringComparer.Ordinal);
foreach (var server in toolServers.Where(s => s.Transport == ToolServerTransport.Http))
{
    httpToolServers[server.Name] = builder.AddProject(server.Name, Path.Combine(pluginsFolder, server.Project!), launchProfileName: null)
        .WithHttpEndpoint(port: server.HttpPort)
        .WithoutHttpsCertificate()
        .WithArgs("--http", "--data", Path.Combine(dataFolder, server.Name + ".db"))
        .WithHttpHealthCheck("/health");
}

// The Api and its web page, on the port Aspire gives it in ASPNETCORE_URLS, reaching each http tool server through
// Mcp:Servers:NAME:Url and starting each stdio one as its child through Mcp:Servers:NAME:Command (an entry there also
// turns off the Api's own embedded defaults).
var api = builder.AddProject<Projects.AgentSuite_Api>("api", launchProfileName: null)
    .WithHttpEndpoint(port: 5080)
    .WithoutHttpsCertificate()
    .WithExternalHttpEndpoints()
    .WithEnvironment("AgentSuite__DataFolder", dataFolder)
    .WithHttpHealthCheck("/health");
foreach (var server in toolServers)
{
    if (httpToolServers.TryGetValue(server.Name, out var resource))
    {
        api.WithEnvironment($"Mcp__Servers__{server.Name}__Url", $"{resource.GetEndpoint("http")}/mcp")
            .WaitFor(resource);
        continue;
    }

    foreach (var (key, value) in AppHostToolServers.StdioSettings(server, dataFolder))
    {
        api.WithEnvironment($"Mcp__Servers__{server.Name}__{key}", value);
    }
}

// PostgreSQL instead of the Api's SQLite file, when the secret parameter postgres-connection (an Npgsql connection string;
// user secrets or environment: Parameters:postgres-connection) is set. Then AgentSuite:ApiReplicas (default 1) runs that
// many Api processes on one database: each listens on a port Aspire allocates, and the api endpoint's proxy spreads
// requests over them. They share the http tool servers above, so a refund is paid in one billing file whichever pays it.
var apiReplicas = builder.Configuration["AgentSuite:ApiReplicas"] is { Length: > 0 } replicasSetting
    ? int.TryParse(replicasSetting, out var parsed) && parsed >= 1 ? parsed : throw new InvalidOperationException($"AgentSuite:ApiReplicas is '{replicasSetting}': give a whole number of Api processes, 1 or more.")
    : 1;
if (!string.IsNullOrEmpty(builder.Configuration["Parameters:postgres-connection"]))
{
    // One audit anchor key for every replica (a generated secret, kept in user secrets): each then checks the anchors
    // the others publish, and replicas sharing the data folder never race to create a key file there.
    var postgres = builder.AddParameter("postgres-connection", secret: true);
    var anchorKey = builder.AddParameter("audit-anchor-key", new GenerateParameterDefault { MinLength = 44, Special = false }, secret: true);
    api.WithEnvironment("Storage__Provider", "Postgres")
        .WithEnvironment("ConnectionStrings__Governance", postgres)
        .WithEnvironment("Governance__Audit__Anchor__Key", anchorKey)
        .WithReplicas(apiReplicas);
}
else if (apiReplicas > 1)
{
    throw new InvalidOperationException(
        $"AgentSuite:ApiReplicas is {apiReplicas}, but several Api processes need one PostgreSQL database to share (on SQLite each would resume the others' turns): set the parameter postgres-connection (Parameters:postgres-connection), or run one replica.");
}

// Billing as its own resource (AgentSuite:RemoteBilling=true, docs/hosting.md): a second Api, with its own data folder
// and its own plugin servers over stdio, serving the billing agent over MCP at /mcp; the Api above hands billing work to
// it (Agents:Remote:billing) with a key holding the delegate role, so billing's turns run for the customer and its
// approvals are decided there (the approver's key is the parameter billing-agent-approver-key).
IResourceBuilder<ProjectResource>[] agentApis = [api];
if (bool.TryParse(builder.Configuration["AgentSuite:RemoteBilling"], out var remoteBilling) && remoteBilling)
{
    var delegateKey = builder.AddParameter("billing-agent-delegate-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);
    var approverKey = builder.AddParameter("billing-agent-approver-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);
    var billingAgent = builder.AddProject<Projects.AgentSuite_Api>("billing-agent", launchProfileName: null)
        .WithHttpEndpoint(port: 5082)
        .WithoutHttpsCertificate()
        .WithEnvironment("AgentSuite__DataFolder", Path.Combine(dataFolder, "billing-agent"))
        .WithEnvironment("AgentServer__Agents__billing__Roles__0", "user")
        .WithEnvironment("Auth__Keys__0__Name", "coordinator")
        .WithEnvironment("Auth__Keys__0__Key", delegateKey)
        .WithEnvironment("Auth__Keys__0__Roles__0", "user")
        .WithEnvironment("Auth__Keys__0__Roles__1", "delegate")
        .WithEnvironment("Auth__Keys__1__Name", "billing-approver")
        .WithEnvironment("Auth__Keys__1__Key", approverKey)
        .WithEnvironment("Auth__Keys__1__Roles__0", "approver")
        .WithHttpHealthCheck("/health");
    api.WithEnvironment("Agents__Remote__billing__Url", $"{billingAgent.GetEndpoint("http")}/mcp")
        .WithEnvironment("Agents__Remote__billing__ApiKey", delegateKey)
        .WaitFor(billingAgent);
    agentApis = [api, billingAgent];
}

// The model: by default the deterministic mock as its own process, reached over the OpenAI protocol, so the dashboard
// shows each model call crossing the wire; a real OpenAI-compatible endpoint replaces it when the parameter
// model-endpoint is set (user secrets or environment: Parameters:model-endpoint, Parameters:model-name,
// Parameters:model-api-key).
if (string.IsNullOrEmpty(builder.Configuration["Parameters:model-endpoint"]))
{
    var model = builder.AddProject<Projects.AgentSuite_MockModelServer>("model", launchProfileName: null)
        .WithHttpEndpoint(port: 5090)
        .WithoutHttpsCertificate()
        .WithHttpHealthCheck("/health");
    foreach (var agentApi in agentApis)
    {
        agentApi.WithEnvironment("Model__Provider", "OpenAI")
            .WithEnvironment("Model__Endpoint", $"{model.GetEndpoint("http")}/v1")
            .WithEnvironment("Model__Name", "agentsuite-mock")
            .WaitFor(model);
    }
}
else
{
    var (endpoint, name, key) = (builder.AddParameter("model-endpoint"), builder.AddParameter("model-name"), builder.AddParameter("model-api-key", secret: true));
    foreach (var agentApi in agentApis)
    {
        agentApi.WithEnvironment("Model__Provider", "OpenAI")
            .WithEnvironment("Model__Endpoint", endpoint)
            .WithEnvironment("Model__Name", name)
            .WithEnvironment("Model__ApiKey", key);
    }
}

await builder.Build().RunAsync();
return 0;

