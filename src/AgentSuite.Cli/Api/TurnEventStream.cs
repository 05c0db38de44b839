using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AgentSuite.Cli.Api;

/// <summary>
/// Reads a turn's <c>text/event-stream</c>: each <c>event:</c>/<c>id:</c>/<c>data:</c> block becomes a
/// <see cref="TurnEvent"/>; comment lines (keep-alives) are skipped by the parser.
/// </summary>
public static class TurnEventStream
{
    public static async IAsyncEnumerable<TurnEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var parser = SseParser.Create(stream, Parse);
        await foreach (var item in parser.EnumerateAsync(cancellationToken))
        {
            yield return item.Data;
        }
    }

    private static TurnEvent Parse(string eventType, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return new TurnEvent { Type = eventType };
        }

        try
        {
            return TurnEvent.FromJson(JsonSerializer.Deserialize<JsonElement>(data), eventType);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The Api sent a '{eventType}' event whose data is not the JSON the CLI expects: {ex.Message}", ex);
        }
    }
}
