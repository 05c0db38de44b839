using Microsoft.Extensions.AI;

namespace AgentSuite.Benchmarks;

/// <summary>The trivial in-process tool both the bare and the governed calls run: no I/O, a small object back.</summary>
internal static class ForecastTool
{
    public const string Server = "bench";

    public static AIFunction Create() =>
        AIFunctionFactory.Create(Lookup, name: "get_forecast", description: "Returns the forecast for a city.");

    private static Forecast Lookup(string city) => new(city, 21, "sunny");
}
