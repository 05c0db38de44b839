namespace AgentSuite.Benchmarks;

/// <summary>What <see cref="ForecastTool"/> returns.</summary>
internal sealed record Forecast(string City, int TemperatureC, string Summary);
