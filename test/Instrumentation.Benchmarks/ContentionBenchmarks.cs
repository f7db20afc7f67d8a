using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Instrumentation.Benchmarks;

/// <summary>
/// Two threads updating one metric. Each category pairs one thread doing <see cref="TotalOps"/> updates with two
/// threads doing half each; times are per update, so the category's Ratio is (time per update with two threads) / (with
/// one) and throughput with two threads is 1 / Ratio times that of one. A lone writer keeps the cache line in its core;
/// two writers on one line pass it back and forth, which is what striping avoids. Each invocation is long (8M
/// updates) so waking the workers is negligible; the log reports how much the two threads actually overlapped.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ContentionBenchmarks
{
    private const int TotalOps = 1 << 23;
    private const int HalfOps = TotalOps / 2;

    private readonly double[] _values = Workload.Observations();
    private long _cell;
    private readonly long[] _linePerThread = new long[64];
    private ThreadPair _pair = null!;
    private Counter _counter = null!;
    private Gauge _gauge = null!;
    private InFlightGauge _inFlight = null!;
    private Histogram _histogram = null!;
    private Summary _summary = null!;
    private CounterVec _vec3 = null!;
    private OpenTelemetryHarness _otel = null!;
    private Counter<long> _otelCounter = null!;
    private Counter<long> _otelCounter3 = null!;
    private Histogram<double> _otelHistogram = null!;
    private Action<int> _interlocked = null!;
    private Action<int> _ownLine = null!;
    private Action<int> _counterInc = null!;
    private Action<int> _gaugeInc = null!;
    private Action<int> _inFlightIncDec = null!;
    private Action<int> _gaugeSet = null!;
    private Action<int> _observe = null!;
    private Action<int> _summaryObserve = null!;
    private Action<int> _withLabels3 = null!;
    private Action<int> _otelAdd = null!;
    private Action<int> _otelAdd3 = null!;
    private Action<int> _otelRecord = null!;
    private Prometheus.Counter _promCounter = null!;
    private Prometheus.Histogram _promHistogram = null!;
    private Action<int> _promInc = null!;
    private Action<int> _promObserve = null!;

    [GlobalSetup]
    public void Setup()
    {
        _pair = new ThreadPair();
        _counter = new Counter(new CounterOptions { Name = "bench_requests_total", Help = "h" });
        _gauge = new Gauge(new GaugeOptions { Name = "bench_in_flight", Help = "h" });
        _inFlight = new InFlightGaugeVec(new GaugeOptions { Name = "bench_requests_in_progress", Help = "h" }, ["route"]).WithLabels("/api/orders/{id}");
        _histogram = new Histogram(new HistogramOptions { Name = "bench_duration_seconds", Help = "h" });
        _summary = new Summary(new SummaryOptions { Name = "bench_latency_seconds", Help = "h", Objectives = Workload.Objectives });
        _vec3 = new CounterVec(new CounterOptions { Name = "bench_three_total", Help = "h" }, ["method", "route", "code"]);
        _otel = new OpenTelemetryHarness();
        _otelCounter = _otel.Meter.CreateCounter<long>("otel_requests");
        _otelCounter3 = _otel.Meter.CreateCounter<long>("otel_three");
        _otelHistogram = _otel.Meter.CreateHistogram<double>("otel_duration");

        var (_, prom) = PrometheusNetPeer.Create();
        _promCounter = prom.CreateCounter("prom_requests_total", "h");
        _promHistogram = prom.CreateHistogram("prom_duration_seconds", "h", PrometheusNetPeer.Histogram(Buckets.Default));

        _interlocked = n => { for (var i = 0; i < n; i++) { Interlocked.Increment(ref _cell); } };
        _ownLine = n =>
        {
            // Worker 1 uses a slot 256 bytes after worker 0's: no line is shared, the best two threads can do here.
            ref var slot = ref _linePerThread[Thread.CurrentThread.Name == "bench-worker-1" ? 40 : 8];
            for (var i = 0; i < n; i++)
            {
                Interlocked.Increment(ref slot);
            }
        };
        _counterInc = n => { var c = _counter; for (var i = 0; i < n; i++) { c.Inc(); } };
        _gaugeInc = n => { var g = _gauge; for (var i = 0; i < n; i++) { g.Inc(); } };
        // What UseHttpMetrics does to http_requests_in_progress per request: one Inc and one Dec (2 updates).
        _inFlightIncDec = n => { var g = _inFlight; for (var i = 0; i < n; i += 2) { g.Inc(); g.Dec(); } };
        _gaugeSet = n =>
        {
            var g = _gauge;
            var values = _values;
            for (var i = 0; i < n; i++)
            {
                g.Set(values[i & (Workload.Ops - 1)]);
            }
        };
        _observe = n =>
        {
            var h = _histogram;
            var values = _values;
            for (var i = 0; i < n; i++)
            {
                h.Observe(values[i & (Workload.Ops - 1)]);
            }
        };
        _summaryObserve = n =>
        {
            var s = _summary;
            var values = _values;
            for (var i = 0; i < n; i++)
            {
                s.Observe(values[i & (Workload.Ops - 1)]);
            }
        };
        _withLabels3 = n => { var v = _vec3; for (var i = 0; i < n; i++) { v.WithLabels("GET", "/api/orders/{id}", "200").Inc(); } };
        _otelAdd = n => { var c = _otelCounter; for (var i = 0; i < n; i++) { c.Add(1); } };
        _otelAdd3 = n => { var c = _otelCounter3; for (var i = 0; i < n; i++) { c.Add(1, new("method", "GET"), new("route", "/api/orders/{id}"), new("code", "200")); } };
        _promInc = n => { var c = _promCounter; for (var i = 0; i < n; i++) { c.Inc(); } };
        _promObserve = n =>
        {
            var h = _promHistogram;
            var values = _values;
            for (var i = 0; i < n; i++)
            {
                h.Observe(values[i & (Workload.Ops - 1)]);
            }
        };
        _otelRecord = n =>
        {
            var h = _otelHistogram;
            var values = _values;
            for (var i = 0; i < n; i++)
            {
                h.Record(values[i & (Workload.Ops - 1)]);
            }
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_pair.AverageOverlap > 0)
        {
            Console.WriteLine($"// Two-thread overlap: both threads were working {_pair.AverageOverlap:P0} of each 2-thread run on average.");
        }
        _pair.Dispose();
        _otel.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("bare Interlocked.Increment")]
    public void Interlocked1() => _interlocked(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("bare Interlocked.Increment")]
    public void Interlocked2() => _pair.Run(_interlocked, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("ideal: Interlocked.Increment, own line per thread")]
    public void OwnLine1() => _ownLine(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("ideal: Interlocked.Increment, own line per thread")]
    public void OwnLine2() => _pair.Run(_ownLine, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("Counter.Inc")]
    public void CounterInc1() => _counterInc(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("Counter.Inc")]
    public void CounterInc2() => _pair.Run(_counterInc, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("OTel Counter<long>.Add")]
    public void OtelAdd1() => _otelAdd(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("OTel Counter<long>.Add")]
    public void OtelAdd2() => _pair.Run(_otelAdd, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("prometheus-net Counter.Inc")]
    public void PromInc1() => _promInc(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("prometheus-net Counter.Inc")]
    public void PromInc2() => _pair.Run(_promInc, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("prometheus-net Histogram.Observe (11 buckets)")]
    public void PromObserve1() => _promObserve(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("prometheus-net Histogram.Observe (11 buckets)")]
    public void PromObserve2() => _pair.Run(_promObserve, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("WithLabels(3).Inc")]
    public void WithLabels1() => _withLabels3(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("WithLabels(3).Inc")]
    public void WithLabels2() => _pair.Run(_withLabels3, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("OTel Add, 3 tags")]
    public void OtelAdd3Tags1() => _otelAdd3(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("OTel Add, 3 tags")]
    public void OtelAdd3Tags2() => _pair.Run(_otelAdd3, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("Gauge.Inc")]
    public void GaugeInc1() => _gaugeInc(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("Gauge.Inc")]
    public void GaugeInc2() => _pair.Run(_gaugeInc, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("HTTP in-flight gauge Inc+Dec")]
    public void InFlight1() => _inFlightIncDec(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("HTTP in-flight gauge Inc+Dec")]
    public void InFlight2() => _pair.Run(_inFlightIncDec, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("Gauge.Set")]
    public void GaugeSet1() => _gaugeSet(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("Gauge.Set")]
    public void GaugeSet2() => _pair.Run(_gaugeSet, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("Histogram.Observe (11 buckets)")]
    public void Observe1() => _observe(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("Histogram.Observe (11 buckets)")]
    public void Observe2() => _pair.Run(_observe, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("OTel Histogram<double>.Record")]
    public void OtelRecord1() => _otelRecord(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("OTel Histogram<double>.Record")]
    public void OtelRecord2() => _pair.Run(_otelRecord, HalfOps);

    [Benchmark(Baseline = true, OperationsPerInvoke = TotalOps, Description = "1 thread"), BenchmarkCategory("Summary.Observe (3 objectives)")]
    public void SummaryObserve1() => _summaryObserve(TotalOps);

    [Benchmark(OperationsPerInvoke = TotalOps, Description = "2 threads"), BenchmarkCategory("Summary.Observe (3 objectives)")]
    public void SummaryObserve2() => _pair.Run(_summaryObserve, HalfOps);
}
