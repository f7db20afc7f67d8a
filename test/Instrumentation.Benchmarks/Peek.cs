using System.Text;

namespace Instrumentation.Benchmarks;

/// <summary><c>--peek [SERIES]</c>: scrapes each library of <see cref="PeerScrapeBenchmarks"/> once per format and prints the size and first lines, to check that every row exports what it should.</summary>
public static class Peek
{
    public static void Run(int series)
    {
        foreach (var openMetrics in new[] { false, true })
        {
            var bench = new PeerScrapeBenchmarks { Series = series, OpenMetrics = openMetrics };
            bench.Setup();
            foreach (var (name, scrape) in new (string, Func<long>)[] { ("ours", bench.Ours), ("prometheus-net", bench.PrometheusNet), ("OpenTelemetry", bench.OpenTelemetry) })
            {
                var bytes = scrape();
                Console.WriteLine($"== {name}, {(openMetrics ? "OpenMetrics" : "text 0.0.4")}, {series} series: {bytes} bytes ({bytes / (double)series:F0} per series)");
            }
            var text = Capture(s => Exposition.ExpositionWriter.Write(s, ScrapeWorkload.CreateRegistry(series).Gather(), Exposition.ExpositionFormat.Create(openMetrics ? Exposition.ExpositionFormatKind.OpenMetricsText : Exposition.ExpositionFormatKind.PrometheusText)));
            Print("ours", text);
            Print("prometheus-net", Capture(s => ScrapeWorkload.CreatePrometheusNet(series).CollectAndExportAsTextAsync(s, openMetrics ? Prometheus.ExpositionFormat.OpenMetricsText : Prometheus.ExpositionFormat.PrometheusText).GetAwaiter().GetResult()));
            using var otel = ScrapeWorkload.CreateOpenTelemetryPrometheus(series);
            string contentType = "";
            Print("OpenTelemetry", Capture(s => contentType = otel.ScrapeAsync(s, openMetrics).GetAwaiter().GetResult()));
            Console.WriteLine($"   (OpenTelemetry Content-Type: {contentType})");
            bench.Dispose();
        }
    }

    private static string Capture(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Print(string name, string text)
    {
        Console.WriteLine($"-- {name}:");
        foreach (var line in text.Split('\n').Take(8))
        {
            Console.WriteLine("   " + line);
        }
    }
}
