namespace Instrumentation.AspNetCore;

/// <summary>
/// Options of the outgoing-call metrics that <c>UseHttpClientMetrics</c> records:
/// <c>httpclient_requests_in_progress{method,host,client}</c>, <c>httpclient_requests_sent_total{method,host,client,code}</c>
/// and <c>httpclient_request_duration_seconds{method,host,client,code}</c>. The families are shared by every client that
/// uses them, so these options are too: set them with <c>services.Configure&lt;HttpClientMetricsOptions&gt;(...)</c>.
/// </summary>
public sealed class HttpClientMetricsOptions
{
    /// <summary>The <c>code</c> of a call given up because a timeout fired inside the handler pipeline (a <see cref="TimeoutException"/>, such as <c>SocketsHttpHandler.ConnectTimeout</c>'s, or a resilience pipeline's timeout).</summary>
    public const string TimeoutCode = "timeout";

    /// <summary>
    /// The <c>code</c> of a call cancelled before response headers arrived: by the caller's token or by
    /// <see cref="System.Net.Http.HttpClient.Timeout"/>. <c>HttpClient</c> cancels its handlers the same way for both and
    /// tells them apart only after the handlers have returned, so a handler cannot.
    /// </summary>
    public const string CanceledCode = "canceled";

    /// <summary>The <c>code</c> of a call that failed without a response for a reason not otherwise named.</summary>
    public const string ErrorCode = "error";

    /// <summary>
    /// Upper bounds (seconds) of the duration histogram's buckets. Default: prometheus-net's, 1 ms doubling to 32.768 s
    /// (16 buckets), so that dashboards made for it read the same.
    /// </summary>
    public double[] DurationBuckets { get; set; } = Buckets.Exponential(0.001, 2, 16);

    /// <summary>
    /// The most series each family keeps; further label combinations share one <c>__overflow__</c> series (see
    /// <see cref="MetricOptions.MaxSeries"/>). Worth setting for a client that calls many hosts (webhooks, user-given
    /// URLs): every host is a series. Null (the default) means no limit.
    /// </summary>
    public int? MaxSeries { get; set; }
}
