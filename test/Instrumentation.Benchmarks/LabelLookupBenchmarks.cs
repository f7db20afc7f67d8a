using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace Instrumentation.Benchmarks;

/// <summary>
/// <c>WithLabels(...).Inc()</c> on a family that already has the child (1, 3 and 5 labels; each family holds 64
/// children so the lookup is a real one), creating new children, and the OpenTelemetry SDK's <c>Add</c> with the same
/// tags, and prometheus-net 8.2.1's <c>WithLabels(...).Inc()</c> on the same children. Label values are string
/// literals, as in typical call sites; one row passes equal but distinct strings.
/// </summary>
public class LabelLookupBenchmarks
{
    private const int NewChildren = 1000;

    private long _cell;
    private CounterVec _vec1 = null!;
    private CounterVec _vec3 = null!;
    private CounterVec _vec5 = null!;
    private string[] _copies3 = null!;
    private string[][] _newValues = null!;
    private OpenTelemetryHarness _otel = null!;
    private Counter<long> _otelCounter1 = null!;
    private Counter<long> _otelCounter3 = null!;
    private Counter<long> _otelCounter5 = null!;
    private Prometheus.Counter _promVec1 = null!;
    private Prometheus.Counter _promVec3 = null!;
    private Prometheus.Counter _promVec5 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _vec1 = new CounterVec(new CounterOptions { Name = "bench_one_total", Help = "h" }, ["method"]);
        _vec3 = new CounterVec(new CounterOptions { Name = "bench_three_total", Help = "h" }, ["method", "route", "code"]);
        _vec5 = new CounterVec(new CounterOptions { Name = "bench_five_total", Help = "h" }, ["method", "route", "code", "host", "scheme"]);
        for (var i = 0; i < 64; i++)
        {
            _vec1.WithLabels("m" + i).Inc();
            _vec3.WithLabels("GET", "/r" + i, "200").Inc();
            _vec5.WithLabels("GET", "/r" + i, "200", "example.org", "https").Inc();
        }
        _vec1.WithLabels("GET").Inc();
        _vec3.WithLabels("GET", "/api/orders/{id}", "200").Inc();
        _vec5.WithLabels("GET", "/api/orders/{id}", "200", "example.org", "https").Inc();
        _copies3 = [new string("GET".AsSpan()), new string("/api/orders/{id}".AsSpan()), new string("200".AsSpan())];
        _newValues = Enumerable.Range(0, NewChildren).Select(i => new[] { "GET", "/route/" + i, "200" }).ToArray();

        _otel = new OpenTelemetryHarness();
        _otelCounter1 = _otel.Meter.CreateCounter<long>("otel_one");
        _otelCounter3 = _otel.Meter.CreateCounter<long>("otel_three");
        _otelCounter5 = _otel.Meter.CreateCounter<long>("otel_five");
        for (var i = 0; i < 64; i++)
        {
            _otelCounter1.Add(1, new KeyValuePair<string, object?>("method", "m" + i));
            _otelCounter3.Add(1, new("method", "GET"), new("route", "/r" + i), new("code", "200"));
            _otelCounter5.Add(1, new TagList { { "method", "GET" }, { "route", "/r" + i }, { "code", "200" }, { "host", "example.org" }, { "scheme", "https" } });
        }
        _otel.EnsureAggregated("otel_five");

        var (_, prom) = PrometheusNetPeer.Create();
        _promVec1 = prom.CreateCounter("prom_one_total", "h", ["method"]);
        _promVec3 = prom.CreateCounter("prom_three_total", "h", ["method", "route", "code"]);
        _promVec5 = prom.CreateCounter("prom_five_total", "h", ["method", "route", "code", "host", "scheme"]);
        for (var i = 0; i < 64; i++)
        {
            _promVec1.WithLabels("m" + i).Inc();
            _promVec3.WithLabels("GET", "/r" + i, "200").Inc();
            _promVec5.WithLabels("GET", "/r" + i, "200", "example.org", "https").Inc();
        }
        _promVec1.WithLabels("GET").Inc();
        _promVec3.WithLabels("GET", "/api/orders/{id}", "200").Inc();
        _promVec5.WithLabels("GET", "/api/orders/{id}", "200", "example.org", "https").Inc();
    }

    [GlobalCleanup]
    public void Cleanup() => _otel.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = Workload.Ops, Description = "bare Interlocked.Increment")]
    public void InterlockedIncrement()
    {
        for (var i = 0; i < Workload.Ops; i++)
        {
            Interlocked.Increment(ref _cell);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "WithLabels(1).Inc, existing")]
    public void WithLabels1()
    {
        var vec = _vec1;
        for (var i = 0; i < Workload.Ops; i++)
        {
            vec.WithLabels("GET").Inc();
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "OTel Add, 1 tag")]
    public void OtelAdd1()
    {
        var counter = _otelCounter1;
        for (var i = 0; i < Workload.Ops; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("method", "GET"));
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "prometheus-net WithLabels(1).Inc, existing")]
    public void PromWithLabels1()
    {
        var vec = _promVec1;
        for (var i = 0; i < Workload.Ops; i++)
        {
            vec.WithLabels("GET").Inc();
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "WithLabels(3).Inc, existing")]
    public void WithLabels3()
    {
        var vec = _vec3;
        for (var i = 0; i < Workload.Ops; i++)
        {
            vec.WithLabels("GET", "/api/orders/{id}", "200").Inc();
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "WithLabels(3).Inc, existing, non-interned values")]
    public void WithLabels3Copies()
    {
        var vec = _vec3;
        var values = _copies3;
        for (var i = 0; i < Workload.Ops; i++)
        {
            vec.WithLabels(values).Inc();
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "OTel Add, 3 tags")]
    public void OtelAdd3()
    {
        var counter = _otelCounter3;
        for (var i = 0; i < Workload.Ops; i++)
        {
            counter.Add(1, new("method", "GET"), new("route", "/api/orders/{id}"), new("code", "200"));
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "prometheus-net WithLabels(3).Inc, existing")]
    public void PromWithLabels3()
    {
        var vec = _promVec3;
        for (var i = 0; i < Workload.Ops; i++)
        {
            vec.WithLabels("GET", "/api/orders/{id}", "200").Inc();
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "WithLabels(5).Inc, existing")]
    public void WithLabels5()
    {
        var vec = _vec5;
        for (var i = 0; i < Workload.Ops; i++)
        {
            vec.WithLabels("GET", "/api/orders/{id}", "200", "example.org", "https").Inc();
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "OTel Add, 5 tags (TagList)")]
    public void OtelAdd5()
    {
        var counter = _otelCounter5;
        for (var i = 0; i < Workload.Ops; i++)
        {
            var tags = new TagList { { "method", "GET" }, { "route", "/api/orders/{id}" }, { "code", "200" }, { "host", "example.org" }, { "scheme", "https" } };
            counter.Add(1, in tags);
        }
    }

    [Benchmark(OperationsPerInvoke = Workload.Ops, Description = "prometheus-net WithLabels(5).Inc, existing")]
    public void PromWithLabels5()
    {
        var vec = _promVec5;
        for (var i = 0; i < Workload.Ops; i++)
        {
            vec.WithLabels("GET", "/api/orders/{id}", "200", "example.org", "https").Inc();
        }
    }

    /// <summary>Creating children: a fresh family gets <see cref="NewChildren"/> new 3-label children per invocation.</summary>
    [Benchmark(OperationsPerInvoke = NewChildren, Description = "WithLabels(3).Inc, new child")]
    public void WithLabels3NewChild()
    {
        var vec = new CounterVec(new CounterOptions { Name = "bench_new_total", Help = "h" }, ["method", "route", "code"]);
        foreach (var values in _newValues)
        {
            vec.WithLabels(values).Inc();
        }
    }
}
