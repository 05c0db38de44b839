// The mock model as its own process, over the OpenAI Chat Completions wire protocol:
//   dotnet run --project src/AgentSuite.MockModelServer [--urls http://127.0.0.1:5090] [--MockModel:Script=my.yaml] [--MockModel:CallIds=random]
// and the converter of a recording (Model:RecordTo) into the replay script it stands for, to read or edit:
//   dotnet run --project src/AgentSuite.MockModelServer -- convert recordings/conv_....jsonl > replay.yaml
using AgentSuite.MockModelServer;
using AgentSuite.Models;
using Microsoft.Extensions.Options;

if (args is ["convert", var recording, ..])
{
    try
    {
        Console.Out.Write(RecordingConverter.ToScriptYaml(recording));
        return 0;
    }
    catch (Exception e) when (e is MockScriptException or IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"Cannot convert '{recording}': {e.Message}");
        return 1;
    }
}

// Content root beside the app, so appsettings.json is found whatever the current directory.
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
if (new[] { WebHostDefaults.ServerUrlsKey, "http_ports", "https_ports" }.All(key => string.IsNullOrEmpty(builder.Configuration[key])))
{
    builder.WebHost.UseUrls(MockModelServerOptions.DefaultUrls);
}

builder.AddServiceDefaults();
var section = builder.Configuration.GetSection(MockModelServerOptions.Section);
builder.Services.Configure<MockModelServerOptions>(section);
MockCallIds callIds;
try
{
    callIds = MockCallIdsSetting.Parse(section[nameof(MockModelServerOptions.CallIds)], $"{MockModelServerOptions.Section}:{nameof(MockModelServerOptions.CallIds)}");
}
catch (InvalidOperationException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 1;
}

builder.Services.AddMockChatClient(section[nameof(MockModelServerOptions.Script)] is { Length: > 0 } script ? script : MockScript.DemoPath, callIds);
builder.Services.AddSingleton(TimeProvider.System);

await using var app = builder.Build();

// Load the script now, so a missing or broken one stops the server at start with its message, not the first request.
MockChatClient model;
try
{
    model = app.Services.GetRequiredService<MockChatClient>();
}
catch (Exception e) when (e is MockScriptException or FileNotFoundException or IOException or UnauthorizedAccessException)
{
    await Console.Error.WriteLineAsync($"Cannot load the mock script: {e.Message} Set MockModel:Script (e.g. --MockModel:Script=path/to/script.yaml) to a valid script, or leave it out for the demo script.");
    return 1;
}

app.MapDefaultEndpoints();
app.MapMockModel();

var keyed = !string.IsNullOrEmpty(app.Services.GetRequiredService<IOptions<MockModelServerOptions>>().Value.ApiKey);
app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation(
    "Mock model {Model} (script {Script}) serving the OpenAI Chat Completions protocol on {Urls} under /v1; API key required: {Keyed}",
    MockChatClient.ModelId, model.Script.Name, string.Join(", ", app.Urls), keyed ? "yes" : "no"));
await app.RunAsync();
return 0;
