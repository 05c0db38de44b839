// The app people run: dotnet run --project src/AgentSuite.Api
// With nothing configured it runs on the embedded defaults: the mock model, SQLite under ./data, the three plugin
// servers started over stdio, and local demo mode (no API keys; callers name themselves with X-User).
using AgentSuite.Api;

var app = AgentSuiteApi.Build(args);
await app.RunAsync();
