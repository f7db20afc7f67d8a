using System.Text;
using Instrumentation.Exposition;

namespace Instrumentation.Tests.Exposition;

public class RegistryExpositionTests
{
    [Fact]
    public void Gathered_registry_is_written_as_text_004()
    {
        var registry = new Registry();
        var requests = new CounterVec(new CounterOptions { Name = "http_requests_total", Help = "Requests." }, ["code"]);
        var latency = new Histogram(new HistogramOptions { Name = "latency_seconds", Help = "Latency.", Buckets = [0.1, 1] });
        var temperature = new Gauge(new GaugeOptions { Name = "temperature", Help = "Temp.", ConstLabels = new Dictionary<string, string> { ["room"] = "a\"b" } });
        registry.MustRegister(requests, latency, temperature);
        requests.WithLabels("200").Add(3);
        requests.WithLabels("500").Inc();
        latency.Observe(0.05);
        latency.Observe(0.5);
        latency.Observe(5);
        temperature.Set(1e-05);

        using var stream = new MemoryStream();
        TextFormat.Write(stream, registry.Gather());

        Assert.Equal(
            "# HELP http_requests_total Requests.\n" +
            "# TYPE http_requests_total counter\n" +
            "http_requests_total{code=\"200\"} 3\n" +
            "http_requests_total{code=\"500\"} 1\n" +
            "# HELP latency_seconds Latency.\n" +
            "# TYPE latency_seconds histogram\n" +
            "latency_seconds_bucket{le=\"0.1\"} 1\n" +
            "latency_seconds_bucket{le=\"1\"} 2\n" +
            "latency_seconds_bucket{le=\"+Inf\"} 3\n" +
            "latency_seconds_sum 5.55\n" +
            "latency_seconds_count 3\n" +
            "# HELP temperature Temp.\n" +
            "# TYPE temperature gauge\n" +
            "temperature{room=\"a\\\"b\"} 1e-05\n",
            Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Gathered_registry_is_written_as_openmetrics_with_created_samples_when_asked()
    {
        var registry = new Registry();
        var jobs = new Counter(new CounterOptions { Name = "jobs_total", Help = "Jobs." });
        registry.MustRegister(jobs);
        jobs.Inc();

        using var stream = new MemoryStream();
        ExpositionWriter.Write(stream, registry.Gather(), ExpositionWriter.Negotiate(NegotiationTests.Prometheus2),
            new ExpositionOptions { OpenMetricsCreatedSamples = true });
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');

        Assert.Equal("# HELP jobs Jobs.", lines[0]);
        Assert.Equal("# TYPE jobs counter", lines[1]);
        Assert.Equal("jobs_total 1.0", lines[2]);
        Assert.StartsWith("jobs_created ", lines[3]);
        Assert.Equal(["# EOF", ""], lines[4..]);
    }
}
