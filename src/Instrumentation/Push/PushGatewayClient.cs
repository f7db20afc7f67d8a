using System.Net.Http.Headers;

namespace Instrumentation.Push;

/// <summary>
/// Sends metrics to a Prometheus Pushgateway for one group (a <see cref="GroupingKey"/>): for batch jobs that end before
/// Prometheus could scrape them. <see cref="PushAsync"/> replaces the group (<c>PUT</c>), <see cref="AddAsync"/> replaces
/// only the pushed metric names (<c>POST</c>), <see cref="DeleteAsync"/> removes the group. For pushes on an interval
/// see <see cref="MetricPusher"/>.
/// </summary>
/// <remarks>
/// The body is the Prometheus text format 0.0.4. Metrics must not carry the <c>job</c> label or any grouping label
/// themselves: the gateway would overwrite them with the grouping key's values, so the client refuses them up front,
/// as the reference client does. A non-2xx answer throws a <see cref="PushGatewayException"/> naming the URL, the
/// status code and the gateway's explanation; no answer within <see cref="Timeout"/> throws a <see cref="TimeoutException"/>.
/// </remarks>
public sealed class PushGatewayClient : IDisposable
{
    /// <summary>The content type of the body: the Prometheus text format, version 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>How long a request may take when no other timeout is given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Creates a client for the group <paramref name="grouping"/> on the gateway at <paramref name="gatewayUrl"/>.</summary>
    /// <param name="gatewayUrl">The gateway's base URL, such as <c>http://127.0.0.1:9091</c>; a path prefix is kept.</param>
    /// <param name="grouping">The job and grouping labels.</param>
    /// <param name="httpClient">
    /// The client to send with (for authentication handlers, say); null creates one that this instance disposes.
    /// A given client is not disposed.
    /// </param>
    /// <param name="timeout">The most one request may take; null means <see cref="DefaultTimeout"/>.</param>
    /// <exception cref="ArgumentException">The URL is not an absolute http(s) URL, or the timeout is not positive.</exception>
    public PushGatewayClient(Uri gatewayUrl, GroupingKey grouping, HttpClient? httpClient = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(gatewayUrl);
        ArgumentNullException.ThrowIfNull(grouping);
        if (!gatewayUrl.IsAbsoluteUri || (gatewayUrl.Scheme != Uri.UriSchemeHttp && gatewayUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The Pushgateway URL \"{gatewayUrl}\" must be an absolute http or https URL.", nameof(gatewayUrl));
        }
        var timeoutValue = timeout ?? DefaultTimeout;
        if (timeoutValue <= TimeSpan.Zero && timeoutValue != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeoutValue, "The push timeout must be positive.");
        }

        Grouping = grouping;
        Timeout = timeoutValue;
        // A base without a trailing slash would lose its last path segment when the group path is resolved against it.
        var baseText = gatewayUrl.GetLeftPart(UriPartial.Path);
        Url = new Uri(new Uri(baseText.EndsWith('/') ? baseText : baseText + "/"), grouping.ToPath());
        _http = httpClient ?? new HttpClient();
        _ownsHttp = httpClient is null;
    }

    /// <summary>The grouping key this client pushes to.</summary>
    public GroupingKey Grouping { get; }

    /// <summary>The URL of the group: the gateway URL followed by <c>metrics/job/...</c>.</summary>
    public Uri Url { get; }

    /// <summary>The most one request may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Gathers <paramref name="gatherer"/> and replaces every metric of the group with the result (<c>PUT</c>).</summary>
    /// <exception cref="GatherException">Gathering failed; nothing was sent.</exception>
    /// <exception cref="InvalidOperationException">A gathered series carries the job or a grouping label; nothing was sent.</exception>
    /// <exception cref="PushGatewayException">The gateway answered with a status other than 2xx.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="Timeout"/>.</exception>
    /// <exception cref="HttpRequestException">The gateway could not be reached.</exception>
    public Task PushAsync(IGatherer gatherer, CancellationToken cancellationToken = default) =>
        SendAsync(PushMethod.Push, gatherer, cancellationToken);

    /// <summary>
    /// Gathers <paramref name="gatherer"/> and replaces only the group's metrics with the same names (<c>POST</c>).
    /// Errors as for <see cref="PushAsync"/>.
    /// </summary>
    public Task AddAsync(IGatherer gatherer, CancellationToken cancellationToken = default) =>
        SendAsync(PushMethod.Add, gatherer, cancellationToken);

    /// <summary>Gathers <paramref name="gatherer"/> and sends the result with <paramref name="method"/>.</summary>
    public async Task SendAsync(PushMethod method, IGatherer gatherer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gatherer);
        var families = gatherer.Gather();
        CheckNoGroupingLabels(families);

        var body = new MemoryStream();
        WriteBody(body, families);
        using var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        var httpMethod = method == PushMethod.Push ? HttpMethod.Put : HttpMethod.Post;
        await SendAsync(httpMethod, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes every metric of the group from the gateway (<c>DELETE</c>).</summary>
    /// <exception cref="PushGatewayException">The gateway answered with a status other than 2xx.</exception>
    /// <exception cref="TimeoutException">No answer within <see cref="Timeout"/>.</exception>
    /// <exception cref="HttpRequestException">The gateway could not be reached.</exception>
    public Task DeleteAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, null, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static void WriteBody(Stream body, IReadOnlyList<MetricFamily> families) =>
        Exposition.TextFormat.Write(body, families);

    private void CheckNoGroupingLabels(IReadOnlyList<MetricFamily> families)
    {
        foreach (var family in families)
        {
            foreach (var point in family.Metrics)
            {
                foreach (var label in point.Labels.AsSpan())
                {
                    if (Grouping.Contains(label.Name))
                    {
                        throw new InvalidOperationException(
                            $"Pushed metric {family.Name}{point.Labels} already contains the grouping label \"{label.Name}\"; " +
                            $"the Pushgateway would overwrite it with the value from the URL {Url}.");
                    }
                }
            }
        }
    }

    private async Task SendAsync(HttpMethod method, HttpContent? content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var request = new HttpRequestMessage(method, Url) { Content = content };
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {Url} did not answer within {Timeout.TotalSeconds:0.###} s.", e);
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"{method} {Url} failed: {e.Message}", e, e.StatusCode);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }
            string responseBody;
            try
            {
                responseBody = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                responseBody = $"(the response body could not be read: {e.Message})";
            }
            throw new PushGatewayException(method.Method, Url, response.StatusCode, responseBody);
        }
    }
}
