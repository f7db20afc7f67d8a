using System.Buffers;
using System.Text;
using Instrumentation.Exposition;

namespace Instrumentation.Tests.Exposition;

/// <summary>
/// OpenMetrics <c>_created</c> samples are opt-in (issue 11, as client_golang v1.21): a Prometheus server without the
/// created-timestamps feature stores each one as a series of its own. Protobuf keeps carrying creation times.
/// </summary>
public class CreatedSamplesDefaultTests
{
    private static IReadOnlyList<MetricFamily> Gathered()
    {
        var registry = new Registry();
        var jobs = new Counter(new CounterOptions { Name = "jobs_total", Help = "Jobs." });
        var latency = new Histogram(new HistogramOptions { Name = "latency_seconds", Help = "Latency.", Buckets = [1] });
        var rpc = new Summary(new SummaryOptions { Name = "rpc_seconds", Help = "RPC." });
        registry.MustRegister(jobs, latency, rpc);
        jobs.Inc();
        latency.Observe(0.5);
        rpc.Observe(0.5);
        return registry.Gather();
    }

    private static string OpenMetrics(ExpositionOptions? options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ExpositionWriter.Write(buffer, Gathered(), ExpositionWriter.Negotiate(NegotiationTests.Prometheus2, options), options);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Options_default_to_no_created_samples()
    {
        Assert.False(new ExpositionOptions().OpenMetricsCreatedSamples);
    }

    [Fact]
    public void OpenMetrics_has_no_created_lines_without_options_or_with_the_defaults()
    {
        Assert.DoesNotContain("_created", OpenMetrics(null), StringComparison.Ordinal);
        Assert.DoesNotContain("_created", OpenMetrics(new ExpositionOptions()), StringComparison.Ordinal);
    }

    [Fact]
    public void Public_openmetrics_writers_leave_created_out_unless_asked()
    {
        var buffer = new ArrayBufferWriter<byte>();
        OpenMetricsFormat.Write(buffer, Gathered());
        Assert.DoesNotContain("_created", Encoding.UTF8.GetString(buffer.WrittenSpan), StringComparison.Ordinal);

        using var stream = new MemoryStream();
        OpenMetricsFormat.Write(stream, Gathered(), createdSamples: true);
        var text = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\njobs_created ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Opting_in_writes_one_created_line_per_counter_histogram_and_summary_series()
    {
        var text = OpenMetrics(new ExpositionOptions { OpenMetricsCreatedSamples = true });

        Assert.Contains("\njobs_created ", text, StringComparison.Ordinal);
        Assert.Contains("\nlatency_seconds_created ", text, StringComparison.Ordinal);
        Assert.Contains("\nrpc_seconds_created ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Protobuf_carries_created_timestamps_with_the_default_options()
    {
        var buffer = new ArrayBufferWriter<byte>();
        ExpositionWriter.Write(buffer, Gathered(), ExpositionFormat.Create(ExpositionFormatKind.Protobuf), new ExpositionOptions());

        var families = ProtobufDecoder.DecodeDelimited(buffer.WrittenSpan.ToArray());
        Assert.NotNull(families.Single(f => f.Name == "jobs_total").Metrics.Single().Counter!.Created);
        Assert.NotNull(families.Single(f => f.Name == "latency_seconds").Metrics.Single().Histogram!.Created);
        Assert.NotNull(families.Single(f => f.Name == "rpc_seconds").Metrics.Single().Summary!.Created);
    }
}
