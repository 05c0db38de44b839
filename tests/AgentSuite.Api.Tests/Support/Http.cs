using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AgentSuite.Api.Tests.Support;

internal static class Http
{
    public static async Task<string> NewConversationAsync(this HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/conversations", new { });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    /// <summary>Asserts a problem-details answer with the status and a detail containing <paramref name="detail"/>.</summary>
    public static async Task<string> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(body);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        var text = problem.GetProperty("detail").GetString()!;
        Assert.Contains(detail, text, StringComparison.Ordinal);
        return text;
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.GetAsync(path);
        return await response.JsonAsync(expected);
    }

    public static async Task<JsonElement> PostJsonAsync(this HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        return await response.JsonAsync(expected);
    }
}
