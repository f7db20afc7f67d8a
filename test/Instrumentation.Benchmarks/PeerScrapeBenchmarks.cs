using BenchmarkDotNet.Attributes;
using Instrumentation.Exposition;
using Prom = Prometheus;

namespace Instrumentation.Benchmarks;

/// <summary>
/// One scrape of the same series through each library's own exporter, in text 0.0.4 and OpenMetrics, into a stream
/// that counts and drops the bytes: ours (<c>Registry.Gather</c> into a reused buffer + <c>ExpositionWriter</c>, what
/// the endpoint does), prometheus-net 8.2.1 (<c>CollectAndExportAsTextAsync</c>), and the OpenTelemetry SDK with its
/// Prometheus exporter (its scraping middleware invoked in-process, response cache off; see
/// <see cref="OpenTelemetryPrometheusPeer"/>). Each library holds the families of <see cref="ScrapeWorkload"/>: 20
/// families, half counters half gauges, 2 variable labels + 1 const label per series. The Ratio column is against ours.
/// The three write different bytes for the same series (OpenTelemetry adds <c>otel_scope_*</c> labels and a
/// <c>target_info</c>; OpenMetrics adds <c>_created</c> lines in ours), so compare time per scrape, not MB/s alone.
/// </summary>
public class PeerScrapeBenchmarks : IMeasuresOutput, IDisposable
{
    private readonly GatherBuffer _buffer = new();
    private readonly CountingStream _sink = new();
    private Registry _registry = null!;
    private ExpositionFormat _format = null!;
    private Prom.CollectorRegistry _prom = null!;
    private OpenTelemetryPrometheusPeer _otel = null!;

    /// <summary>Series in each library.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Series { get; set; }

    /// <summary>OpenMetrics 1.0 when true, Prometheus text 0.0.4 when false.</summary>
    [Params(false, true)]
    public bool OpenMetrics { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = ScrapeWorkload.CreateRegistry(Series);
        _format = ExpositionFormat.Create(OpenMetrics ? ExpositionFormatKind.OpenMetricsText : ExpositionFormatKind.PrometheusText);
        _prom = ScrapeWorkload.CreatePrometheusNet(Series);
        _otel = ScrapeWorkload.CreateOpenTelemetryPrometheus(Series);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _otel?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "ours: Gather + write")]
    public long Ours()
    {
        _sink.Reset();
        ExpositionWriter.Write(_sink, _registry.Gather(_buffer), _format);
        return _sink.Length;
    }

    [Benchmark(Description = "prometheus-net: CollectAndExportAsTextAsync")]
    public long PrometheusNet()
    {
        _sink.Reset();
        _prom.CollectAndExportAsTextAsync(_sink, OpenMetrics ? Prom.ExpositionFormat.OpenMetricsText : Prom.ExpositionFormat.PrometheusText).GetAwaiter().GetResult();
        return _sink.Length;
    }

    [Benchmark(Description = "OTel + Prometheus exporter: scrape middleware")]
    public long OpenTelemetry()
    {
        _sink.Reset();
        _otel.ScrapeAsync(_sink, OpenMetrics).GetAwaiter().GetResult();
        return _sink.Length;
    }

    public long MeasureOutputBytes(string benchmarkMethod)
    {
        Setup();
        try
        {
            return benchmarkMethod switch
            {
                nameof(Ours) => Ours(),
                nameof(PrometheusNet) => PrometheusNet(),
                nameof(OpenTelemetry) => OpenTelemetry(),
                _ => 0,
            };
        }
        finally
        {
            Dispose();
        }
    }
}
