using System.Diagnostics;
using System.Net.Http;

namespace Instrumentation.AspNetCore;

/// <summary>
/// Records one outgoing call: in progress until response headers arrive, then counted and timed with its status code,
/// or with a word for the failure when no response came (<see cref="FailureCode"/>). Labels are the request's method,
/// its URI's host and the client's name — never the path, which would make a series per URL.
/// </summary>
/// <remarks>
/// Label values are strings that already exist (the client's name, canonical method names, cached status codes, the
/// URI's own host string), and the children are found with the span overload of <c>WithLabels</c>, whose lock-free
/// table caches one child per (method, host, client, code): once a combination has been seen, recording it allocates
/// nothing. The duration is read from raw stopwatch ticks, at the stopwatch's full resolution.
/// </remarks>
internal sealed class HttpClientMetricsHandler : DelegatingHandler
{
    private readonly HttpClientMetrics _metrics;
    private readonly string _client;

    public HttpClientMetricsHandler(HttpClientMetrics metrics, string client)
    {
        _metrics = metrics;
        _client = client;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = MethodLabel(request.Method);
        var host = HostLabel(request.RequestUri);
        var inProgress = _metrics.InProgress.WithLabels(method, host, _client);
        inProgress.Inc();
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            Record(method, host, StatusCodeLabels.Of((int)response.StatusCode), start);
            return response;
        }
        catch (Exception ex)
        {
            Record(method, host, FailureCode(ex), start);
            throw;
        }
        finally
        {
            inProgress.Dec();
        }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var method = MethodLabel(request.Method);
        var host = HostLabel(request.RequestUri);
        var inProgress = _metrics.InProgress.WithLabels(method, host, _client);
        inProgress.Inc();
        var start = Stopwatch.GetTimestamp();
        try
        {
            var response = base.Send(request, cancellationToken);
            Record(method, host, StatusCodeLabels.Of((int)response.StatusCode), start);
            return response;
        }
        catch (Exception ex)
        {
            Record(method, host, FailureCode(ex), start);
            throw;
        }
        finally
        {
            inProgress.Dec();
        }
    }

    private void Record(string method, string host, string code, long start)
    {
        var seconds = (Stopwatch.GetTimestamp() - start) / (double)Stopwatch.Frequency;
        ReadOnlySpan<string> labels = [method, host, _client, code];
        _metrics.Sent.WithLabels(labels).Inc();
        _metrics.Duration.WithLabels(labels).Observe(seconds);
    }

    /// <summary>
    /// The <c>code</c> label of a call that ended without a response: <c>timeout</c> when a timeout fired inside the
    /// pipeline, <c>canceled</c> when the call's token was cancelled, the <see cref="HttpRequestError"/> in snake case
    /// (<c>name_resolution_error</c>, <c>connection_error</c>, … — the values .NET's own <c>error.type</c> uses) for
    /// transport failures, and <c>error</c> for anything else. A fixed set: a failure can never add unbounded series.
    /// </summary>
    internal static string FailureCode(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // Polly's TimeoutRejectedException (Microsoft.Extensions.Http.Resilience) does not derive from
            // TimeoutException; it is matched by name so that this library needs no reference to Polly.
            if (e is TimeoutException || e.GetType().FullName == "Polly.Timeout.TimeoutRejectedException")
            {
                return HttpClientMetricsOptions.TimeoutCode;
            }
        }
        if (exception is OperationCanceledException)
        {
            return HttpClientMetricsOptions.CanceledCode;
        }
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException http)
            {
                return RequestErrorCode(http.HttpRequestError);
            }
        }
        return HttpClientMetricsOptions.ErrorCode;
    }

    private static string RequestErrorCode(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "name_resolution_error",
        HttpRequestError.ConnectionError => "connection_error",
        HttpRequestError.SecureConnectionError => "secure_connection_error",
        HttpRequestError.HttpProtocolError => "http_protocol_error",
        HttpRequestError.ExtendedConnectNotSupported => "extended_connect_not_supported",
        HttpRequestError.VersionNegotiationError => "version_negotiation_error",
        HttpRequestError.UserAuthenticationError => "user_authentication_error",
        HttpRequestError.ProxyTunnelError => "proxy_tunnel_error",
        HttpRequestError.InvalidResponse => "invalid_response",
        HttpRequestError.ResponseEnded => "response_ended",
        HttpRequestError.ConfigurationLimitExceeded => "configuration_limit_exceeded",
        _ => HttpClientMetricsOptions.ErrorCode,
    };

    /// <summary>The canonical method name; anything else is <c>OTHER</c>, as in the server-side metrics.</summary>
    private static string MethodLabel(HttpMethod method) => method.Method switch
    {
        "GET" => "GET",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "PATCH" => "PATCH",
        "HEAD" => "HEAD",
        "OPTIONS" => "OPTIONS",
        "TRACE" => "TRACE",
        "CONNECT" => "CONNECT",
        _ => "OTHER",
    };

    /// <summary>The URI's host (lower case, IPv6 in brackets); empty when the request has no absolute URI.</summary>
    private static string HostLabel(Uri? uri) => uri is { IsAbsoluteUri: true } ? uri.Host : "";
}
