using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Prom = Prometheus;

namespace Instrumentation.Benchmarks;

/// <summary>prometheus-net 8.2.1 set up the way the comparison uses it: a registry of its own, nothing else in it.</summary>
public static class PrometheusNetPeer
{
    /// <summary>A fresh registry and a factory creating metrics in it (no default process/.NET metrics).</summary>
    public static (Prom.CollectorRegistry Registry, Prom.IMetricFactory Factory) Create()
    {
        var registry = Prom.Metrics.NewCustomRegistry();
        return (registry, Prom.Metrics.WithCustomRegistry(registry));
    }

    /// <summary>A histogram configuration with the given bounds and label names.</summary>
    public static Prom.HistogramConfiguration Histogram(double[] bounds, params string[] labelNames) =>
        new() { Buckets = bounds, LabelNames = labelNames };
}

/// <summary>
/// The OpenTelemetry SDK with its Prometheus exporter (<c>OpenTelemetry.Exporter.Prometheus.AspNetCore</c>), scraped
/// in-process: the exporter's serialiser is internal, so the harness builds the exporter's own scraping middleware
/// (<c>UseOpenTelemetryPrometheusScrapingEndpoint</c>) into a request pipeline and invokes it with a
/// <see cref="DefaultHttpContext"/> whose response body counts and drops the bytes. That is the exporter's whole
/// scrape (collect, serialise into its buffer, copy to the response) without a socket. The response cache is off
/// (<c>ScrapeResponseCacheDurationMilliseconds = 0</c>) so every call collects and serialises afresh.
/// </summary>
public sealed class OpenTelemetryPrometheusPeer : IDisposable
{
    private readonly MeterProvider _provider;
    private readonly ServiceProvider _services;
    private readonly RequestDelegate _pipeline;
    private static int s_instances;

    public OpenTelemetryPrometheusPeer(int cardinalityLimit, double[]? histogramBounds = null)
    {
        // Short and unique per instance: the exporter writes the meter name into every series (otel_scope_name).
        var meterName = "bench" + Interlocked.Increment(ref s_instances);
        Meter = new System.Diagnostics.Metrics.Meter(meterName);
        var bounds = histogramBounds ?? Buckets.Default;
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(meterName)
            .AddView(instrument => instrument is System.Diagnostics.Metrics.Histogram<double>
                ? new ExplicitBucketHistogramConfiguration { Boundaries = bounds, CardinalityLimit = cardinalityLimit }
                : new MetricStreamConfiguration { CardinalityLimit = cardinalityLimit })
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)
            .Build()!;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions();
        _services = services.BuildServiceProvider();
        var app = new ApplicationBuilder(_services);
        app.UseOpenTelemetryPrometheusScrapingEndpoint(_provider, predicate: null, path: "/metrics", configureBranchedPipeline: null, optionsName: null);
        _pipeline = app.Build();
    }

    public System.Diagnostics.Metrics.Meter Meter { get; }

    /// <summary>One scrape into <paramref name="body"/>; OpenMetrics when <paramref name="openMetrics"/>, else text 0.0.4.</summary>
    public async Task<string> ScrapeAsync(Stream body, bool openMetrics)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = "/metrics";
        context.Request.Headers.Accept = openMetrics
            ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
            : "text/plain; version=0.0.4; charset=utf-8";
        context.Response.Body = body;
        await _pipeline(context).ConfigureAwait(false);
        if (context.Response.StatusCode != 200)
        {
            throw new InvalidOperationException($"The OpenTelemetry Prometheus exporter answered {context.Response.StatusCode}.");
        }
        return context.Response.ContentType ?? "";
    }

    public void Dispose()
    {
        _provider.Dispose();
        _services.Dispose();
        Meter.Dispose();
    }
}
