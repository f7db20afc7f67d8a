using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Instrumentation.Benchmarks;

/// <summary>
/// The System.Diagnostics.Metrics + OpenTelemetry SDK comparison: a meter whose instruments the SDK aggregates (a
/// MeterProvider with a reader and an exporter that drops what it is given), so every Add/Record pays the SDK's
/// real aggregation cost. Histograms get the same 11 bounds as <see cref="Buckets.Default"/>.
/// </summary>
public sealed class OpenTelemetryHarness : IDisposable
{
    private readonly MeterProvider _provider;
    private readonly DroppingExporter _exporter = new();

    public OpenTelemetryHarness(int cardinalityLimit = 2000, double[]? histogramBounds = null)
    {
        var meterName = "bench." + Guid.NewGuid().ToString("N");
        Meter = new Meter(meterName);
        var bounds = histogramBounds ?? Buckets.Default;
        _provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(meterName)
            .AddView(instrument => instrument is Histogram<double>
                ? new ExplicitBucketHistogramConfiguration { Boundaries = bounds, CardinalityLimit = cardinalityLimit }
                : new MetricStreamConfiguration { CardinalityLimit = cardinalityLimit })
            .AddReader(new BaseExportingMetricReader(_exporter))
            .Build()!;
    }

    public Meter Meter { get; }

    /// <summary>Collects every instrument (the SDK's equivalent of a scrape) and returns how many metric points it exported.</summary>
    public long Collect()
    {
        _provider.ForceFlush();
        return _exporter.LastPoints;
    }

    /// <summary>Fails loudly if the SDK is not actually aggregating <paramref name="instrument"/> (a benchmark of a disabled instrument measures nothing).</summary>
    public void EnsureAggregated(string instrument)
    {
        _provider.ForceFlush();
        if (!_exporter.Seen.Contains(instrument))
        {
            throw new InvalidOperationException($"The OpenTelemetry SDK did not aggregate \"{instrument}\".");
        }
    }

    public void Dispose()
    {
        _provider.Dispose();
        Meter.Dispose();
    }

    private sealed class DroppingExporter : BaseExporter<Metric>
    {
        public HashSet<string> Seen { get; } = [];

        public long LastPoints { get; private set; }

        public override ExportResult Export(in Batch<Metric> batch)
        {
            long points = 0;
            foreach (var metric in batch)
            {
                Seen.Add(metric.Name);
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    _ = point.StartTime;
                    points++;
                }
            }
            LastPoints = points;
            return ExportResult.Success;
        }
    }
}
