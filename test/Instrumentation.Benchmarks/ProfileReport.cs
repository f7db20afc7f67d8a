using System.Diagnostics;
using Instrumentation.Exposition;

namespace Instrumentation.Benchmarks;

/// <summary>
/// <c>--profile [series ...]</c>: where the time of one scrape of ours goes, per series, at each size, by timing
/// the stages that can be run on their own from outside the library (Stopwatch, best of several repetitions after
/// warm-up, one process). The registry is <see cref="ScrapeWorkload.CreateRegistry(int)"/>'s.
/// <list type="bullet">
/// <item>walk: <c>Collect()</c> of every family, indexing the returned list (the families' sorted snapshots);</item>
/// <item>read: the same plus <c>IMetric.Write</c> of every child into one reused <see cref="MetricPoint"/> (reading the
/// child's value and label set: the part of a gather that touches each child's memory);</item>
/// <item>read in creation order: the same <c>Write</c> calls over the children in the order they were created (and
/// allocated), against the scrape's sorted order;</item>
/// <item>gather: <c>Registry.Gather(buffer)</c> with a reused <see cref="GatherBuffer"/>; gather minus read is the
/// registry's own work (checks against the descriptor, the order check, pooled points, the family table);</item>
/// <item>write text: <c>ExpositionWriter.Write</c> of the already gathered families;</item>
/// <item>gather + text, <c>Gather()</c> (no reused buffer), and the OpenTelemetry SDK's collect of the same series into
/// an exporter that drops them (the comparison).</item>
/// </list>
/// <c>--profile-loop SERIES SECONDS</c> builds the registry, scrapes it five times, prints <c>READY</c> and then runs
/// gather + text in a loop for SECONDS, for a sampling profiler to attach to (<c>perf record -p</c>).
/// </summary>
public static class ProfileReport
{
    public static void Run(int[] sizes)
    {
        Console.WriteLine($"Time per series (ns), best of N repetitions; .NET {Environment.Version}, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| series | walk | read (walk + Write) | read in creation order | gather (reused buffer) | registry's share (gather - read) | write text | gather + text | Gather() new result | OTel SDK collect | text bytes/series |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var series in sizes)
        {
            var vecs = new List<ICollector>();
            var created = new List<IMetric>(series);
            var registry = ScrapeWorkload.CreateRegistry(series, vecs, created);
            var buffer = new GatherBuffer();
            var sink = new CountingStream();
            var point = new MetricPoint();
            var reps = Math.Clamp(2_000_000 / series, 5, 200);

            long Walk()
            {
                long n = 0;
                foreach (var vec in vecs)
                {
                    var list = (IReadOnlyList<IMetric>)vec.Collect();
                    for (var i = 0; i < list.Count; i++)
                    {
                        n += list[i] is null ? 0 : 1;
                    }
                }
                return n;
            }

            long Read()
            {
                long n = 0;
                foreach (var vec in vecs)
                {
                    var list = (IReadOnlyList<IMetric>)vec.Collect();
                    for (var i = 0; i < list.Count; i++)
                    {
                        list[i].Write(point);
                        n += point.Labels.Count;
                    }
                }
                return n;
            }

            // The same reads in creation order, which is allocation order: the difference from Read() is what visiting
            // the children in scrape (sorted) order costs in locality.
            long ReadCreated()
            {
                long n = 0;
                for (var i = 0; i < created.Count; i++)
                {
                    created[i].Write(point);
                    n += point.Labels.Count;
                }
                return n;
            }

            var gathered = registry.Gather(buffer);
            long WriteText()
            {
                sink.Reset();
                ExpositionWriter.Write(sink, gathered, ExpositionFormat.Default);
                return sink.Length;
            }
            var bytes = WriteText();
            var walk = Best(reps, () => Walk());
            var read = Best(reps, () => Read());
            var readCreated = Best(reps, () => ReadCreated());
            var gather = Best(reps, () => registry.Gather(buffer).Count);
            gathered = registry.Gather(buffer);
            var write = Best(reps, WriteText);
            var both = Best(reps, () =>
            {
                sink.Reset();
                ExpositionWriter.Write(sink, registry.Gather(buffer), ExpositionFormat.Default);
                return sink.Length;
            });
            var plain = Best(Math.Max(3, reps / 4), () => registry.Gather().Count);
            double otel;
            using (var harness = ScrapeWorkload.CreateOpenTelemetry(series))
            {
                otel = Best(reps, harness.Collect);
            }
            double Per(double ms) => ms * 1e6 / series;
            Console.WriteLine($"| {series:N0} | {Per(walk):F1} | {Per(read):F1} | {Per(readCreated):F1} | {Per(gather):F1} | {Per(gather - read):F1} | {Per(write):F1} | {Per(both):F1} | {Per(plain):F1} | {Per(otel):F1} | {bytes / (double)series:F0} |");
            GC.KeepAlive(registry);
        }
    }

    public static void Loop(int series, double seconds)
    {
        var registry = ScrapeWorkload.CreateRegistry(series);
        var buffer = new GatherBuffer();
        var sink = new CountingStream();
        for (var i = 0; i < 5; i++)
        {
            sink.Reset();
            ExpositionWriter.Write(sink, registry.Gather(buffer), ExpositionFormat.Default);
        }
        // profile.sh attaches the profiler when it reads this line: set-up and warm-up are not sampled.
        Console.WriteLine("READY");
        Console.Out.Flush();
        var watch = Stopwatch.StartNew();
        var scrapes = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            sink.Reset();
            ExpositionWriter.Write(sink, registry.Gather(buffer), ExpositionFormat.Default);
            scrapes++;
        }
        Console.WriteLine($"{scrapes} scrapes of {series:N0} series in {watch.Elapsed.TotalSeconds:F1} s: {watch.Elapsed.TotalMilliseconds / scrapes:F2} ms each");
    }

    /// <summary>The fastest of <paramref name="reps"/> timed calls after three untimed ones, in milliseconds.</summary>
    private static double Best(int reps, Func<long> action)
    {
        for (var i = 0; i < 3; i++)
        {
            action();
        }
        var best = double.MaxValue;
        for (var i = 0; i < reps; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        return best;
    }
}
