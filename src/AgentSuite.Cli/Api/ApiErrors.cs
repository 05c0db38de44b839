using System.Text.Json;

namespace AgentSuite.Cli.Api;

/// <summary>Turns an unsuccessful answer into an <see cref="ApiProblemException"/>, from its problem details when it has them.</summary>
internal static class ApiErrors
{
    private const int MaxBodyShown = 500;

    public static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var fallbackTitle = response.ReasonPhrase ?? response.StatusCode.ToString();
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        throw FromBody(status, fallbackTitle, body);
    }

    internal static ApiProblemException FromBody(int status, string fallbackTitle, string body)
    {
        if (TryReadProblem(body, out var title, out var detail))
        {
            return new ApiProblemException(status, title ?? fallbackTitle, detail);
        }

        var text = body.Trim();
        return new ApiProblemException(status, fallbackTitle, text.Length == 0 ? null : Shorten(text));
    }

    private static bool TryReadProblem(string body, out string? title, out string? detail)
    {
        title = detail = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            title = StringProperty(json.RootElement, "title");
            detail = StringProperty(json.RootElement, "detail");
            return title is not null || detail is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text) => text.Length <= MaxBodyShown ? text : text[..MaxBodyShown] + "…";
}
