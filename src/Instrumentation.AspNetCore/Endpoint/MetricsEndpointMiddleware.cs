using Instrumentation.Scraping;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Instrumentation.AspNetCore;

/// <summary>
/// The endpoint <c>MapMetrics</c> maps: a thin adapter from ASP.NET Core's request and response to the host-neutral
/// <see cref="ScrapeHandler"/>, which does all the work (negotiation, gzip, limits, timeout, error mode, self-metrics),
/// and from its problem reports to the application's log. Terminal: it is the whole pipeline of the endpoint.
/// </summary>
/// <remarks>Invalid options throw when the endpoint is mapped, not at the first scrape.</remarks>
internal sealed partial class MetricsEndpointMiddleware
{
    private readonly ScrapeHandler _handler;
    private readonly ILogger _logger;

    public MetricsEndpointMiddleware(RequestDelegate next, IOptions<MetricsEndpointOptions> options, IGatherer gatherer,
        IRegisterer registerer, ILogger<MetricsEndpointMiddleware> logger)
    {
        _ = next; // Terminal middleware.
        _logger = logger;
        var handlerOptions = options.Value.ToHandlerOptions();
        _handler = new ScrapeHandler(gatherer, handlerOptions, registerer, Log);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        return _handler.HandleAsync(
            new ScrapeRequest(request.Method, request.Headers.Accept.ToString(), request.Headers.AcceptEncoding.ToString(), request.QueryString.Value),
            new HttpScrapeResponse(context.Response),
            context.RequestAborted);
    }

    private void Log(ScrapeProblem problem)
    {
        switch (problem.Kind)
        {
            case ScrapeProblemKind.GatherPartial:
                LogGatherPartial(_logger, problem.Exception is GatherException partial ? partial.Errors.Count : 1, problem.Exception);
                break;
            case ScrapeProblemKind.GatherFailed:
                LogGatherFailed(_logger, problem.Exception);
                break;
            case ScrapeProblemKind.EncodingFailed:
                LogEncodingFailed(_logger, problem.Exception);
                break;
            case ScrapeProblemKind.TooManyScrapes:
                LogRefused(_logger, problem.Message);
                break;
            default:
                LogTimeout(_logger, problem.Message);
                break;
        }
    }

    /// <summary>The handler's view of an ASP.NET Core response.</summary>
    private sealed class HttpScrapeResponse(HttpResponse response) : IScrapeResponse
    {
        public int StatusCode
        {
            get => response.StatusCode;
            set => response.StatusCode = value;
        }

        public string? ContentType
        {
            get => response.ContentType;
            set => response.ContentType = value;
        }

        public long? ContentLength
        {
            get => response.ContentLength;
            set => response.ContentLength = value;
        }

        public void SetHeader(string name, string value) => response.Headers[name] = value;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
            response.Body.WriteAsync(body, cancellationToken);
    }

    [LoggerMessage(1, LogLevel.Warning, "Gathering metrics reported {ErrorCount} problem(s); serving the metrics that gathered cleanly.")]
    private static partial void LogGatherPartial(ILogger logger, int errorCount, Exception? exception);

    [LoggerMessage(2, LogLevel.Error, "Gathering metrics failed; the scrape is answered with 500.")]
    private static partial void LogGatherFailed(ILogger logger, Exception? exception);

    [LoggerMessage(3, LogLevel.Error, "Encoding metrics failed; the scrape is answered with 500.")]
    private static partial void LogEncodingFailed(ILogger logger, Exception? exception);

    [LoggerMessage(4, LogLevel.Warning, "{Message}")]
    private static partial void LogRefused(ILogger logger, string message);

    [LoggerMessage(5, LogLevel.Warning, "{Message}")]
    private static partial void LogTimeout(ILogger logger, string message);
}
