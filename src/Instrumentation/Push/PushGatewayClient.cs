using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Instrumentation.Exposition;

namespace Instrumentation.Push;

/// <summary>
/// Sends metrics to a Prometheus Pushgateway for one group (a <see cref="GroupingKey"/>): for batch jobs that end before
/// Prometheus could scrape them. <see cref="PushAsync"/> replaces the group (<c>PUT</c>), <see cref="AddAsync"/> replaces
/// only the pushed metric names (<c>POST</c>), <see cref="DeleteAsync"/> removes the group. For pushes on an interval
/// see <see cref="MetricPusher"/>.
/// </summary>
/// <remarks>
/// <para>The body is the length-delimited protobuf format by default, as client_golang pushes it, so that native
/// histogram buckets, exemplars and creation times reach the gateway; <see cref="Format"/> switches to the text format
/// 0.0.4, which carries none of them. Metrics must not carry the <c>job</c> label or any grouping label themselves:
/// the gateway would overwrite them with the grouping key's values, so the client refuses them up front, as the
/// reference client does. A non-2xx answer throws a <see cref="PushGatewayException"/> naming the URL, the status code
/// and the gateway's explanation; no answer within <see cref="Timeout"/> throws a <see cref="TimeoutException"/>.</para>
/// <para>Credentials are sent as HTTP Basic authentication: those of <see cref="BasicAuth"/>, else those written into
/// the gateway URL (<c>http://user:secret@host:9091</c>). The user information is taken out of the URL at once: it is
/// not part of <see cref="Url"/>, of the request URI, or of any exception message.</para>
/// </remarks>
public sealed class PushGatewayClient : IDisposable
{
    /// <summary>The content type of a text body: the Prometheus text format, version 0.0.4.</summary>
    public const string TextContentType = TextFormat.ContentType;

    /// <summary>The content type of a protobuf body (the default): length-delimited <c>io.prometheus.client.MetricFamily</c> messages.</summary>
    public const string ProtobufContentType = ProtobufFormat.ContentType;

    /// <summary>How long a request may take when no other timeout is given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly string? _urlAuthorization;
    private readonly ExpositionFormatKind _format = ExpositionFormatKind.Protobuf;
    private readonly NetworkCredential? _basicAuth;
    private readonly string? _basicAuthorization;

    /// <summary>Creates a client for the group <paramref name="grouping"/> on the gateway at <paramref name="gatewayUrl"/>.</summary>
    /// <param name="gatewayUrl">
    /// The gateway's base URL, such as <c>http://127.0.0.1:9091</c>; a path prefix is kept. User information in it
    /// (<c>http://user:secret@host:9091</c>) is sent as HTTP Basic authentication unless <see cref="BasicAuth"/> is set,
    /// and is kept nowhere else.
    /// </param>
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
        // The message names the scheme only: the URL may carry a password.
        if (!gatewayUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The Pushgateway URL must be an absolute http or https URL; it is relative.", nameof(gatewayUrl));
        }
        if (gatewayUrl.Scheme != Uri.UriSchemeHttp && gatewayUrl.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException(
                $"The Pushgateway URL must be an absolute http or https URL; its scheme is \"{gatewayUrl.Scheme}\".", nameof(gatewayUrl));
        }
        var timeoutValue = timeout ?? DefaultTimeout;
        if (timeoutValue <= TimeSpan.Zero && timeoutValue != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeoutValue, "The push timeout must be positive.");
        }

        Grouping = grouping;
        Timeout = timeoutValue;
        _urlAuthorization = AuthorizationFromUserInfo(gatewayUrl);
        // A base without a trailing slash would lose its last path segment when the group path is resolved against it.
        var baseText = WithoutUserInfo(gatewayUrl).GetLeftPart(UriPartial.Path);
        Url = new Uri(new Uri(baseText.EndsWith('/') ? baseText : baseText + "/"), grouping.ToPath());
        _http = httpClient ?? new HttpClient();
        _ownsHttp = httpClient is null;
    }

    /// <summary>
    /// The format of pushed bodies: <see cref="ExpositionFormatKind.Protobuf"/> (the default, as client_golang's
    /// <c>Format</c>) or <see cref="ExpositionFormatKind.PrometheusText"/> (text 0.0.4: no native histograms, exemplars
    /// or creation times, for gateways or proxies that take only text).
    /// </summary>
    /// <exception cref="ArgumentException">Set to OpenMetrics text, which the Pushgateway does not read.</exception>
    public ExpositionFormatKind Format
    {
        get => _format;
        init => _format = value is ExpositionFormatKind.Protobuf or ExpositionFormatKind.PrometheusText
            ? value
            : throw new ArgumentException($"The Pushgateway reads the protobuf and the text 0.0.4 formats, not {value}.", nameof(value));
    }

    /// <summary>
    /// HTTP Basic credentials sent with every request, as client_golang's <c>BasicAuth</c>; they take precedence over
    /// user information in the gateway URL. Null (the default) sends the URL's, if any.
    /// </summary>
    /// <exception cref="ArgumentException">The user name contains a colon, which Basic authentication cannot carry.</exception>
    public NetworkCredential? BasicAuth
    {
        get => _basicAuth;
        init
        {
            if (value is not null && value.UserName.Contains(':'))
            {
                throw new ArgumentException("A Basic authentication user name must not contain ':'.", nameof(value));
            }
            _basicAuth = value;
            _basicAuthorization = value is null ? null : BasicCredentials(value.UserName, value.Password);
        }
    }

    /// <summary>The content type of pushed bodies, after <see cref="Format"/>.</summary>
    public string ContentType => _format == ExpositionFormatKind.Protobuf ? ProtobufContentType : TextContentType;

    /// <summary>The grouping key this client pushes to.</summary>
    public GroupingKey Grouping { get; }

    /// <summary>The URL of the group: the gateway URL (without user information) followed by <c>metrics/job/...</c>.</summary>
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

    /// <summary>
    /// <paramref name="url"/> without its user information (<c>user:secret@</c>), for every URL this client keeps,
    /// sends or puts into a message.
    /// </summary>
    internal static Uri WithoutUserInfo(Uri url)
    {
        if (!url.IsAbsoluteUri || url.UserInfo.Length == 0)
        {
            return url;
        }
        return new UriBuilder(url) { UserName = "", Password = "" }.Uri;
    }

    /// <summary>The Basic authorization parameter for the URL's user information, or null when it has none.</summary>
    private static string? AuthorizationFromUserInfo(Uri url)
    {
        var userInfo = url.UserInfo;
        if (userInfo.Length == 0)
        {
            return null;
        }
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? userInfo : userInfo[..colon];
        var password = colon < 0 ? "" : userInfo[(colon + 1)..];
        // UserInfo is percent-encoded (p%40ss for p@ss): the header carries the decoded text.
        return BasicCredentials(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
    }

    private static string BasicCredentials(string userName, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(userName + ":" + password));

    private void WriteBody(Stream body, IReadOnlyList<MetricFamily> families) =>
        ExpositionWriter.Write(body, families, ExpositionFormat.Create(_format));

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
        if ((_basicAuthorization ?? _urlAuthorization) is { } credentials)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
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
