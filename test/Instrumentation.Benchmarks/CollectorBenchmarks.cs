using BenchmarkDotNet.Attributes;
using Instrumentation.Collectors;
using Instrumentation.Exposition;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Instrumentation.Benchmarks;

/// <summary>
/// What the built-in collectors add to each scrape: gathering the process and runtime collectors alone and writing
/// them as text, beside the OpenTelemetry SDK collecting the runtime's own <c>System.Runtime</c> meter (the nearest
/// equivalent available without extra packages; it serialises nothing).
/// </summary>
public class CollectorBenchmarks : IMeasuresOutput
{
    private readonly GatherBuffer _buffer = new();
    private readonly CountingStream _sink = new();
    private Registry _process = null!;
    private Registry _runtime = null!;
    private RuntimeCollector _runtimeCollector = null!;
    private MeterProvider _otelRuntime = null!;

    [GlobalSetup]
    public void Setup()
    {
        _process = new Registry();
        _process.Register(new ProcessCollector());
        _runtime = new Registry();
        _runtimeCollector = new RuntimeCollector();
        _runtime.Register(_runtimeCollector);
        _otelRuntime = Sdk.CreateMeterProviderBuilder()
            .AddMeter("System.Runtime")
            .AddReader(new BaseExportingMetricReader(new DroppingExporter()))
            .Build()!;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _runtimeCollector.Dispose();
        _otelRuntime.Dispose();
    }

    [Benchmark(Description = "ProcessCollector: gather + text")]
    public long Process() => Scrape(_process);

    [Benchmark(Description = "RuntimeCollector: gather + text")]
    public long Runtime() => Scrape(_runtime);

    [Benchmark(Description = "OTel collect System.Runtime meter (no serialisation)")]
    public bool OtelRuntime() => _otelRuntime.ForceFlush();

    public long MeasureOutputBytes(string benchmarkMethod)
    {
        Setup();
        try
        {
            return benchmarkMethod switch
            {
                nameof(Process) => Scrape(_process),
                nameof(Runtime) => Scrape(_runtime),
                _ => 0,
            };
        }
        finally
        {
            Cleanup();
        }
    }

    private long Scrape(Registry registry)
    {
        _sink.Reset();
        ExpositionWriter.Write(_sink, registry.Gather(_buffer), ExpositionFormat.Default);
        return _sink.Length;
    }

    private sealed class DroppingExporter : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
