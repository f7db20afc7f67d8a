using Instrumentation;
using Instrumentation.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds outgoing-call metrics to clients made by <c>IHttpClientFactory</c>.</summary>
public static class HttpClientMetricsHttpClientBuilderExtensions
{
    /// <summary>
    /// Records the client's calls in <c>httpclient_requests_in_progress{method,host,client}</c>,
    /// <c>httpclient_requests_sent_total{method,host,client,code}</c> and
    /// <c>httpclient_request_duration_seconds{method,host,client,code}</c> (prometheus-net's names), where <c>client</c>
    /// is the client's name (<c>AddHttpClient("billing")</c>; a typed client's type name; on
    /// <c>services.ConfigureHttpClientDefaults(b =&gt; b.UseHttpClientMetrics())</c>, every client with its own name) and <c>code</c> the response's
    /// status code or, when no response came, <c>timeout</c>, <c>canceled</c>, a transport error such as
    /// <c>connection_error</c> or <c>name_resolution_error</c>, or <c>error</c>. The path is never a label.
    /// </summary>
    /// <remarks>
    /// The handler measures until response headers arrive, and sits where this call puts it among the client's
    /// handlers: a retrying handler added after it is inside it (one observation per logical call, retries included),
    /// one added before it is outside (one observation per attempt). Options shared by all clients:
    /// <c>services.Configure&lt;HttpClientMetricsOptions&gt;(...)</c>. Needs <c>services.AddMetricsRegistry()</c>; without
    /// it, creating the client throws <see cref="InvalidOperationException"/>.
    /// </remarks>
    /// <param name="builder">The client's builder.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder UseHttpClientMetrics(this IHttpClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<HttpClientMetricsOptions>();
        builder.Services.TryAddSingleton(static sp => new HttpClientMetrics(
            sp.GetService<IRegisterer>() ?? throw new InvalidOperationException(
                $"Unable to find the required services for {nameof(UseHttpClientMetrics)}. Add them by calling 'services.AddMetricsRegistry()' " +
                "(builder.Services.AddMetricsRegistry()) when configuring the application's services."),
            sp.GetRequiredService<IOptions<HttpClientMetricsOptions>>().Value));
        // As AddHttpMessageHandler does, but labelled with the name of the client being built: under
        // ConfigureHttpClientDefaults the builder has no name (and the options action applies to every client).
        builder.Services.Configure<HttpClientFactoryOptions>(builder.Name, options => options.HttpMessageHandlerBuilderActions.Add(static handlers =>
            handlers.AdditionalHandlers.Add(new HttpClientMetricsHandler(handlers.Services.GetRequiredService<HttpClientMetrics>(), handlers.Name ?? ""))));
        return builder;
    }
}
