namespace AgentSuite.Api;

/// <summary>RFC 9457 problem details for every error the Api answers, with a detail that says what to do next.</summary>
internal static class Problems
{
    public static IResult Result(int status, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);

    public static IResult BadRequest(string detail) => Result(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult NotFound(string detail) => Result(StatusCodes.Status404NotFound, "Not found", detail);

    public static IResult Forbidden(string detail) => Result(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static IResult Conflict(string detail) => Result(StatusCodes.Status409Conflict, "Conflict", detail);

    /// <summary>Problem details from middleware (a refusal before any endpoint runs); <see cref="ProblemJsonWriter"/> makes it JSON whatever Accept says.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Registers the framework's problem details, then <see cref="ProblemJsonWriter"/> as the writer of last resort.</summary>
    public static IServiceCollection AddAlwaysProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails().AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
}
