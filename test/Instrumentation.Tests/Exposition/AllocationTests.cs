using System.Buffers;
using Instrumentation.Exposition;
using static Instrumentation.Tests.Exposition.Samples;

namespace Instrumentation.Tests.Exposition;

public class AllocationTests
{
    /// <summary>A buffer writer over one big array, so that the writer itself never allocates.</summary>
    private sealed class FixedBufferWriter(int size) : IBufferWriter<byte>
    {
        private readonly byte[] _buffer = new byte[size];
        private int _written;

        public void Reset() => _written = 0;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => _buffer.AsMemory(_written);

        public Span<byte> GetSpan(int sizeHint = 0) => _buffer.AsSpan(_written);
    }

    private static MetricFamily[] SteadyFamilies()
    {
        MetricPoint Series(int i) => new()
        {
            Labels = Labels(("method", "GET"), ("path", "/api/" + i)),
            Value = i * 1.25,
            Count = (ulong)i,
            Sum = i * 0.5,
            Buckets = [new Bucket(0.1, 0), new Bucket(1, (ulong)i), new Bucket(double.PositiveInfinity, (ulong)i)],
            Quantiles = [new QuantileValue(0.5, 0.25), new QuantileValue(0.99, 0.75)],
            States = [new StateValue("a", true), new StateValue("b", false)],
            CreatedSeconds = 1700000000.5,
            Exemplar = new Exemplar([new LabelPair("trace_id", "abc" + i)], 1),
        };
        MetricPoint[] Points() => Enumerable.Range(0, 500).Select(Series).ToArray();
        return
        [
            Family("requests_total", "Requests.", MetricType.Counter, Points()),
            Family("in_flight", "In flight.", MetricType.Gauge, Points()),
            Family("latency_seconds", "Latency.", MetricType.Histogram, Points()),
            Family("rpc_seconds", "RPC.", MetricType.Summary, Points()),
            Family("state", "State.", MetricType.StateSet, Points()),
            Family("build_info", "Build.", MetricType.Info, Points()),
            Family("deploy", "Deploy (an info family named without _info).", MetricType.Info, Points()),
        ];
    }

    [Theory]
    [InlineData(ExpositionFormatKind.PrometheusText)]
    [InlineData(ExpositionFormatKind.OpenMetricsText)]
    [InlineData(ExpositionFormatKind.Protobuf)]
    public void Repeated_scrape_of_the_same_series_allocates_nothing_per_series(ExpositionFormatKind kind)
    {
        var families = SteadyFamilies();
        var format = ExpositionFormat.Create(kind);
        var writer = new FixedBufferWriter(16 * 1024 * 1024);
        ExpositionWriter.Write(writer, families, format); // first scrape encodes and caches label sets
        writer.Reset();

        // Best of three: the runtime itself (tiering, a parallel test's timer) may allocate once in a while.
        var allocated = long.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            writer.Reset();
            var before = GC.GetAllocatedBytesForCurrentThread();
            ExpositionWriter.Write(writer, families, format);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        // 3500 series: anything per series would be tens of kilobytes.
        Assert.True(allocated < 1024, $"{kind} scrape allocated {allocated} bytes.");
    }
}
