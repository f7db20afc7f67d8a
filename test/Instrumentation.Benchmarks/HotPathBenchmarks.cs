using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace Instrumentation.Benchmarks;

/// <summary>
/// Single-threaded update cost of each metric type, per operation, beside a bare interlocked operation and the
/// System.Diagnostics.Metrics + OpenTelemetry SDK equivalent. Every method loops <see cref="Workload.Ops"/> times so
/// loop overhead is the same for all rows; observations cycle through values spread over every bucket. The
/// prometheus-net 8.2.1 rows use a registry of their own and the same 11 / 128 bucket bounds.
/// </summary>
public class HotPathBenchmarks
{
    private readonly double[] _values = Workload.Observations();
    private long _cell;
    private Counter _counter = null!;
    private Gauge _gauge = null!;
    private Histogram _histogram11 = null!;
    private Histogram _histogram128 = null!;
    private Histogram _histogramNative = null!;
    private Summary _summary = null!;
    private Summary _summaryNoQuantiles = null!;
    private OpenTelemetryHarness _otel = null!;
    private OpenTelemetryHarness _otel128 = null!;
    private Counter<long> _otelCounter = null!;
    private Gauge<double> _otelGauge = null!;
    private UpDownCounter<long> _otelUpDown = null!;
    private Histogram<double> _otelHistogram11 = null!;
    private Histogram<double> _otelHistogram128 = null!;
    private Prometheus.Counter _promCounter = null!;
    private Prometheus.Gauge _promGauge = null!;
    private Prometheus.Histogram _promHistogram11 = null!;
    private Prometheus.Histogram _promHistogram128 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _counter = new Counter(new CounterOptions { Name = "bench_requests_total", Help = "h" });
        _gauge = new Gauge(new GaugeOptions { Name = "bench_queue_length", Help = "h" });
        _histogram11 = new Histogram(new HistogramOptions { Name = "bench_duration_seconds", Help = "h" });
        _histogram128 = new Histogram(new HistogramOptions { Name = "bench_duration128_seconds", Help = "h", Buckets = Workload.Buckets128() });
        _histogramNative = new Histogram(new HistogramOptions { Name = "bench_duration_native_seconds", Help = "h", NativeHistogramBucketFactor = 1.1 });
        _summary = new Summary(new SummaryOptions { Name = "bench_latency_seconds", Help = "h", Objectives = Workload.Objectives });
        _summaryNoQuantiles = new Summary(new SummaryOptions { Name = "bench_latency2_seconds", Help = "h" });
        _otel = new OpenTelemetryHarness();
        _otel128 = new OpenTelemetryHarness(histogramBounds: Workload.Buckets128());
        _otelCounter = _otel.Meter.CreateCounter<long>("otel_requests");
        _otelGauge = _otel.Meter.CreateGauge<double>("otel_queue_length");
        _otelUpDown = _otel.Meter.CreateUpDownCounter<long>("otel_in_flight");
        _otelHistogram11 = _otel.Meter.CreateHistogram<double>("otel_duration");
        _otelHistogram128 = _otel128.Meter.CreateHistogram<double>("otel_duration128");
        _otelCounter.Add(1);
        _otelGauge.Record(1);
        _otelUpDown.Add(1);
        _otelHistogram11.Record(1);
        _otelHistogram128.Record(1);
        _otel.EnsureAggregated("otel_requests");
        _otel.EnsureAggregated("otel_queue_length");
        _otel.EnsureAggregated("otel_in_flight");
        _otel.EnsureAggregated("otel_duration");
        _otel128.EnsureAggregated("otel_duration128");
        var (_, prom) = PrometheusNetPeer.Create();
        _promCounter = prom.CreateCounter("prom_requests_total", "h");
        _promGauge = prom.CreateGauge("prom_queue_length", "h");
        _promHistogram11 = prom.CreateHistogram("prom_duration_seconds", "h", PrometheusNetPeer.Histogram(Buckets.Default));
        _promHistogram128 = prom.CreateHistogram("prom_duration128_seconds", "h", PrometheusNetPeer.Histogram(Workload.Buckets128()));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _otel.Dispose();
        _otel128.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.Ops, Description = "bare Interlocked.Increment")]
    public void InterlockedIncrement()
    {
        for (var i = 0; i < Workload.Ops; i++)
        {
            Interlocked.Increment(ref _cell);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "bare Interlocked.Exchange")]
    public void InterlockedExchange()
    {
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            Interlocked.Exchange(ref _cell, (long)values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Counter.Inc")]
    public void CounterInc()
    {
        var counter = _counter;
        for (var i = 0; i < Workload.Ops; i++)
        {
            counter.Inc();
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "OTel Counter<long>.Add")]
    public void OtelCounterAdd()
    {
        var counter = _otelCounter;
        for (var i = 0; i < Workload.Ops; i++)
        {
            counter.Add(1);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "prometheus-net Counter.Inc")]
    public void PromCounterInc()
    {
        var counter = _promCounter;
        for (var i = 0; i < Workload.Ops; i++)
        {
            counter.Inc();
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Gauge.Set")]
    public void GaugeSet()
    {
        var gauge = _gauge;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            gauge.Set(values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Gauge.Inc")]
    public void GaugeInc()
    {
        var gauge = _gauge;
        for (var i = 0; i < Workload.Ops; i++)
        {
            gauge.Inc();
        }
    }

    /// <summary>The SDK's equivalent of <c>Gauge.Inc</c>: an up-down counter's <c>Add</c>.</summary>
    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "OTel UpDownCounter<long>.Add")]
    public void OtelUpDownCounterAdd()
    {
        var upDown = _otelUpDown;
        for (var i = 0; i < Workload.Ops; i++)
        {
            upDown.Add(1);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "OTel Gauge<double>.Record")]
    public void OtelGaugeRecord()
    {
        var gauge = _otelGauge;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            gauge.Record(values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "prometheus-net Gauge.Set")]
    public void PromGaugeSet()
    {
        var gauge = _promGauge;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            gauge.Set(values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Histogram.Observe (11 buckets)")]
    public void HistogramObserve11()
    {
        var histogram = _histogram11;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            histogram.Observe(values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "OTel Histogram<double>.Record (11 bounds)")]
    public void OtelHistogramRecord11()
    {
        var histogram = _otelHistogram11;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            histogram.Record(values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "prometheus-net Histogram.Observe (11 buckets)")]
    public void PromHistogramObserve11()
    {
        var histogram = _promHistogram11;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            histogram.Observe(values[i]);
        }
    }

    /// <summary>Default classic buckets plus native buckets at factor 1.1 (schema 3), every bucket already populated.</summary>
    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Histogram.Observe (11 buckets + native)")]
    public void HistogramObserveNative()
    {
        var histogram = _histogramNative;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            histogram.Observe(values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Histogram.Observe (128 buckets)")]
    public void HistogramObserve128()
    {
        var histogram = _histogram128;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            histogram.Observe(values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "OTel Histogram<double>.Record (128 bounds)")]
    public void OtelHistogramRecord128()
    {
        var histogram = _otelHistogram128;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            histogram.Record(values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "prometheus-net Histogram.Observe (128 buckets)")]
    public void PromHistogramObserve128()
    {
        var histogram = _promHistogram128;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            histogram.Observe(values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Summary.Observe (3 objectives)")]
    public void SummaryObserve()
    {
        var summary = _summary;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            summary.Observe(values[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "Summary.Observe (no objectives)")]
    public void SummaryObserveNoQuantiles()
    {
        var summary = _summaryNoQuantiles;
        var values = _values;
        for (var i = 0; i < values.Length; i++)
        {
            summary.Observe(values[i]);
        }
    }
}
