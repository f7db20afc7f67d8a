using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using Instrumentation.Exposition;

namespace Instrumentation.Benchmarks;

/// <summary>
/// The scrape path: gathering a registry of <see cref="Series"/> series into a reused <see cref="GatherBuffer"/> (as
/// the endpoint does) and writing them in each exposition format, with and without gzip, into a stream that counts
/// and drops the bytes. The registry holds 20 families, half counters and half gauges, each series with 2 variable
/// labels and 1 const label. "Output MB/s" counts uncompressed exposition bytes, also for gzip rows.
/// </summary>
public class ScrapeBenchmarks : IMeasuresOutput
{
    private readonly GatherBuffer _buffer = new();
    private readonly CountingStream _sink = new();
    private Registry _registry = null!;
    private ExpositionFormat _format = null!;

    /// <summary>Series in the registry.</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Series { get; set; }

    [Params(ExpositionFormatKind.PrometheusText, ExpositionFormatKind.OpenMetricsText, ExpositionFormatKind.Protobuf)]
    public ExpositionFormatKind Format { get; set; }

    [Params(false, true)]
    public bool Gzip { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = ScrapeWorkload.CreateRegistry(Series);
        _format = ExpositionFormat.Create(Format);
    }

    [Benchmark(Description = "Gather + write")]
    public long Scrape()
    {
        _sink.Reset();
        var families = _registry.Gather(_buffer);
        if (Gzip)
        {
            using var gzip = new GZipStream(_sink, CompressionLevel.Fastest, leaveOpen: true);
            ExpositionWriter.Write(gzip, families, _format);
        }
        else
        {
            ExpositionWriter.Write(_sink, families, _format);
        }
        return _sink.Length;
    }

    public long MeasureOutputBytes(string benchmarkMethod)
    {
        Setup();
        _sink.Reset();
        ExpositionWriter.Write(_sink, _registry.Gather(_buffer), _format);
        return _sink.Length;
    }
}

/// <summary>Gathering alone, into a new result and into a reused buffer, and the OpenTelemetry SDK's collect of as many series.</summary>
public class GatherBenchmarks
{
    private readonly GatherBuffer _buffer = new();
    private Registry _registry = null!;
    private OpenTelemetryHarness _otel = null!;

    /// <summary>Series in the registry (and in the OpenTelemetry meter).</summary>
    [Params(1_000, 10_000, 100_000)]
    public int Series { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = ScrapeWorkload.CreateRegistry(Series);
        _otel = ScrapeWorkload.CreateOpenTelemetry(Series);
    }

    [GlobalCleanup]
    public void Cleanup() => _otel.Dispose();

    [Benchmark(Description = "Gather, new result")]
    public IReadOnlyList<MetricFamily> Gather() => _registry.Gather();

    [Benchmark(Baseline = true, Description = "Gather, reused buffer")]
    public IReadOnlyList<MetricFamily> GatherReused() => _registry.Gather(_buffer);

    /// <summary>The SDK's collect cycle into an exporter that drops everything: no serialisation at all.</summary>
    [Benchmark(Description = "OTel collect (no serialisation)")]
    public long OtelCollect() => _otel.Collect();
}

/// <summary>Builds the registries the scrape benchmarks read.</summary>
public static class ScrapeWorkload
{
    public const int Families = 20;

    public static Registry CreateRegistry(int series) => CreateRegistry(series, null);

    /// <summary>
    /// As <see cref="CreateRegistry(int)"/>, also adding each family to <paramref name="families"/> and each child, in
    /// creation order, to <paramref name="children"/>.
    /// </summary>
    public static Registry CreateRegistry(int series, List<ICollector>? families, List<IMetric>? children = null)
    {
        var registry = new Registry();
        var perFamily = series / Families;
        for (var f = 0; f < Families; f++)
        {
            var constLabels = new Dictionary<string, string> { ["service"] = "checkout" };
            if (f % 2 == 0)
            {
                var vec = new CounterVec(new CounterOptions { Name = $"app_requests_{f}_total", Help = "Requests handled, by route and status.", ConstLabels = constLabels }, ["route", "code"]);
                registry.Register(vec);
                families?.Add(vec);
                for (var s = 0; s < perFamily; s++)
                {
                    var child = vec.WithLabels("/api/v1/resource/" + s, (200 + s % 5).ToString());
                    child.Add(s * 3 + 1);
                    children?.Add(child);
                }
            }
            else
            {
                var vec = new GaugeVec(new GaugeOptions { Name = $"app_queue_depth_{f}", Help = "Items waiting, by queue and shard.", ConstLabels = constLabels }, ["queue", "shard"]);
                registry.Register(vec);
                families?.Add(vec);
                for (var s = 0; s < perFamily; s++)
                {
                    var child = vec.WithLabels("queue-" + s, (s % 16).ToString());
                    child.Set(s * 0.25 + 1e-3);
                    children?.Add(child);
                }
            }
        }
        return registry;
    }

    /// <summary>The same families and series as <see cref="CreateRegistry"/>, in a prometheus-net 8.2.1 registry of their own.</summary>
    public static Prometheus.CollectorRegistry CreatePrometheusNet(int series)
    {
        var (registry, root) = PrometheusNetPeer.Create();
        var factory = root.WithLabels(new Dictionary<string, string> { ["service"] = "checkout" });
        var perFamily = series / Families;
        for (var f = 0; f < Families; f++)
        {
            if (f % 2 == 0)
            {
                var counter = factory.CreateCounter($"app_requests_{f}_total", "Requests handled, by route and status.", ["route", "code"]);
                for (var s = 0; s < perFamily; s++)
                {
                    counter.WithLabels("/api/v1/resource/" + s, (200 + s % 5).ToString()).Inc(s * 3 + 1);
                }
            }
            else
            {
                var gauge = factory.CreateGauge($"app_queue_depth_{f}", "Items waiting, by queue and shard.", ["queue", "shard"]);
                for (var s = 0; s < perFamily; s++)
                {
                    gauge.WithLabels("queue-" + s, (s % 16).ToString()).Set(s * 0.25 + 1e-3);
                }
            }
        }
        return registry;
    }

    /// <summary>The same families and series as <see cref="CreateRegistry"/>, in the OpenTelemetry SDK with its Prometheus exporter.</summary>
    public static OpenTelemetryPrometheusPeer CreateOpenTelemetryPrometheus(int series)
    {
        var otel = new OpenTelemetryPrometheusPeer(cardinalityLimit: series / Families + 10);
        Populate(otel.Meter, series);
        return otel;
    }

    /// <summary>Records <see cref="CreateRegistry"/>'s series into instruments of <paramref name="meter"/>.</summary>
    public static void Populate(System.Diagnostics.Metrics.Meter meter, int series)
    {
        var perFamily = series / Families;
        for (var f = 0; f < Families; f++)
        {
            if (f % 2 == 0)
            {
                var counter = meter.CreateCounter<long>($"app_requests_{f}", description: "Requests handled, by route and status.");
                for (var s = 0; s < perFamily; s++)
                {
                    counter.Add(s * 3 + 1, new("route", "/api/v1/resource/" + s), new("code", (200 + s % 5).ToString()), new("service", "checkout"));
                }
            }
            else
            {
                var gauge = meter.CreateGauge<double>($"app_queue_depth_{f}", description: "Items waiting, by queue and shard.");
                for (var s = 0; s < perFamily; s++)
                {
                    gauge.Record(s * 0.25 + 1e-3, new("queue", "queue-" + s), new("shard", (s % 16).ToString()), new("service", "checkout"));
                }
            }
        }
    }

    /// <summary>The same families and series as <see cref="CreateRegistry"/>, as OpenTelemetry counters and gauges.</summary>
    public static OpenTelemetryHarness CreateOpenTelemetry(int series)
    {
        var otel = new OpenTelemetryHarness(cardinalityLimit: series / Families + 10);
        var perFamily = series / Families;
        for (var f = 0; f < Families; f++)
        {
            if (f % 2 == 0)
            {
                var counter = otel.Meter.CreateCounter<long>($"app_requests_{f}");
                for (var s = 0; s < perFamily; s++)
                {
                    counter.Add(s * 3 + 1, new("route", "/api/v1/resource/" + s), new("code", (200 + s % 5).ToString()), new("service", "checkout"));
                }
            }
            else
            {
                var gauge = otel.Meter.CreateGauge<double>($"app_queue_depth_{f}");
                for (var s = 0; s < perFamily; s++)
                {
                    gauge.Record(s * 0.25 + 1e-3, new("queue", "queue-" + s), new("shard", (s % 16).ToString()), new("service", "checkout"));
                }
            }
        }
        return otel;
    }
}

/// <summary>A write-only stream that counts bytes and keeps none, so a benchmark measures producing the output.</summary>
public sealed class CountingStream : Stream
{
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public void Reset() => _length = 0;

    public override void Write(byte[] buffer, int offset, int count) => _length += count;

    public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

    public override void WriteByte(byte value) => _length++;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
