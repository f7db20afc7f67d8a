using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Instrumentation.AspNetCore;

/// <summary>
/// Records every request's count, duration and in-progress state, labelled with its status code, method and route
/// template (never the raw path, which would make a series per URL).
/// </summary>
/// <remarks>
/// The route is read from the matched <see cref="RouteEndpoint"/>: when the request enters (for the in-progress
/// gauge — known only if routing ran before this middleware, as it does in a <c>WebApplication</c>) and when it has
/// finished (for the counter and histogram, so routing may also come later). Label values are strings that already
/// exist (cached status codes, canonical method names, the endpoint's template), and children are found with the
/// span overload of <c>WithLabels</c>: recording a request allocates nothing.
/// </remarks>
internal sealed class HttpMetricsMiddleware
{
    private readonly RequestDelegate _next;
    private readonly HttpMetricsOptions _options;
    private readonly HttpRequestMetrics _metrics;
    private readonly HttpMetricsLabel[] _extraLabels;
    private readonly bool _prometheusNetLabels;
    private readonly int _routeLabelCount;

    public HttpMetricsMiddleware(RequestDelegate next, IOptions<HttpMetricsOptions> options, IRegisterer registry)
    {
        _next = next;
        _options = options.Value;
        _extraLabels = [.. _options.AdditionalLabels];
        _prometheusNetLabels = _options.LabelScheme == HttpMetricsLabelScheme.PrometheusNet;
        _routeLabelCount = HttpRequestMetrics.RouteLabelNames(_options.LabelScheme).Length;
        if (_extraLabels.Length > LabelBuffer.Size - 2 - _routeLabelCount)
        {
            throw new ArgumentException($"HTTP metrics take at most {LabelBuffer.Size - 2 - _routeLabelCount} additional labels.", nameof(options));
        }
        _metrics = HttpRequestMetrics.GetOrRegister(registry, _options);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not null && IsExcluded(endpoint))
        {
            return _next(context);
        }
        return RecordAsync(context, endpoint);
    }

    private Task RecordAsync(HttpContext context, Endpoint? endpointAtStart)
    {
        var method = MethodLabel(context.Request.Method);
        var buffer = new LabelBuffer();
        Span<string> values = buffer;
        values[0] = method;
        WriteRouteLabels(values[1..], context, endpointAtStart);
        var inProgress = _metrics.InProgress.WithLabels(values[..(1 + _routeLabelCount)]);
        inProgress.Inc();
        var start = Stopwatch.GetTimestamp();
        Task next;
        try
        {
            next = _next(context);
        }
        catch
        {
            inProgress.Dec();
            Record(context, method, start, failed: true);
            throw;
        }
        if (next.IsCompletedSuccessfully)
        {
            // Finished without suspending: no state machine at all.
            inProgress.Dec();
            Record(context, method, start, failed: false);
            return Task.CompletedTask;
        }
        return AwaitAndRecordAsync(next, context, inProgress, method, start);
    }

    private async Task AwaitAndRecordAsync(Task next, HttpContext context, InFlightGauge inProgress, string method, long start)
    {
        var failed = false;
        try
        {
            await next;
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            inProgress.Dec();
            Record(context, method, start, failed);
        }
    }

    private void Record(HttpContext context, string method, long start, bool failed)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not null && IsExcluded(endpoint))
        {
            return;
        }
        // Raw ticks, not a TimeSpan: that would truncate every duration to 100 ns.
        var elapsed = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        // An exception that escaped before the response started becomes a 500 further out.
        var status = failed && !context.Response.HasStarted ? StatusCodes.Status500InternalServerError : context.Response.StatusCode;

        var buffer = new LabelBuffer();
        Span<string> values = buffer;
        values[0] = StatusCodeLabels.Of(status);
        values[1] = method;
        WriteRouteLabels(values[2..], context, endpoint);
        var first = 2 + _routeLabelCount;
        for (var i = 0; i < _extraLabels.Length; i++)
        {
            values[first + i] = _extraLabels[i].Value(context) ?? "";
        }
        var labels = values[..(first + _extraLabels.Length)];
        _metrics.Requests.WithLabels(labels).Inc();
        _metrics.Duration.WithLabels(labels).Observe(elapsed);
    }

    private bool IsExcluded(Endpoint endpoint) =>
        _options.ExcludeMetricsEndpoints && endpoint.Metadata.GetMetadata<MetricsEndpointMetadata>() is not null;

    /// <summary>Writes the labels that name the endpoint: <c>route</c>, or prometheus-net's <c>controller</c>, <c>action</c>, <c>endpoint</c>.</summary>
    private void WriteRouteLabels(Span<string> values, HttpContext context, Endpoint? endpoint)
    {
        var template = (endpoint as RouteEndpoint)?.RoutePattern.RawText;
        if (!_prometheusNetLabels)
        {
            values[0] = template ?? HttpMetricsOptions.UnmatchedRoute;
            return;
        }
        // As prometheus-net reads them: MVC's route values (strings routing already holds), empty for minimal APIs,
        // and the template, empty when nothing matched.
        var routeValues = context.Request.RouteValues;
        values[0] = routeValues["controller"] as string ?? "";
        values[1] = routeValues["action"] as string ?? "";
        values[2] = template ?? "";
    }

    /// <summary>The canonical method name; anything else is <c>OTHER</c>, so made-up methods cannot add series.</summary>
    private static string MethodLabel(string method)
    {
        var canonical = HttpMethods.GetCanonicalizedValue(method);
        return HttpMethods.IsGet(canonical) || HttpMethods.IsPost(canonical) || HttpMethods.IsPut(canonical) || HttpMethods.IsDelete(canonical)
            || HttpMethods.IsPatch(canonical) || HttpMethods.IsHead(canonical) || HttpMethods.IsOptions(canonical)
            || HttpMethods.IsTrace(canonical) || HttpMethods.IsConnect(canonical)
            ? canonical
            : "OTHER";
    }

    [InlineArray(Size)]
    private struct LabelBuffer
    {
        public const int Size = 16;
        private string _element;
    }
}
