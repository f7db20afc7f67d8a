using System.Diagnostics;
using Instrumentation;

// Measures how far a histogram scrape's _sum is from its _count when every observation is 1.0 (so they should be
// equal): observer threads at a chosen rate, one thread scraping back to back. Prints one line per configuration.
//
//   dotnet run -c Release --project test/HistogramSkew -- [seconds per run, default 10]
//
// "paced" runs observe in bursts followed by Thread.Sleep(1) (the realistic 1k-10k/s load); "saturated" runs observe
// in a tight loop (the worst case the issue measured). Results depend on the machine's load; record it with them.
var seconds = args.Length > 0 ? double.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
Console.WriteLine($"{Environment.ProcessorCount} cores, {seconds} s per run, load average {LoadAverage()}");
Console.WriteLine("kind     load                     obs/s      scrapes  skewed  max|sum-count|  mean|sum-count|");
foreach (var native in new[] { false, true })
{
    Run(native, "paced 1k/s (2 thr)", threads: 2, burst: 1, saturated: false);
    Run(native, "paced 10k/s (4 thr)", threads: 4, burst: 3, saturated: false);
    Run(native, "saturated (2 thr)", threads: 2, burst: 0, saturated: true);
}

void Run(bool native, string load, int threads, int burst, bool saturated)
{
    var histogram = new Histogram(new HistogramOptions
    {
        Name = "skew_seconds",
        Help = "h",
        NativeHistogramBucketFactor = native ? 1.1 : 0,
    });
    using var stop = new CancellationTokenSource();
    var observers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
    {
        while (!stop.IsCancellationRequested)
        {
            if (saturated)
            {
                histogram.Observe(1.0);
                continue;
            }
            for (var i = 0; i < burst; i++)
            {
                histogram.Observe(1.0);
            }
            Thread.Sleep(1);
        }
    }) { IsBackground = true }).ToList();
    observers.ForEach(t => t.Start());
    var point = new MetricPoint();
    long scrapes = 0, skewed = 0;
    double max = 0, total = 0;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed.TotalSeconds < seconds)
    {
        histogram.Write(point);
        var skew = Math.Abs(point.Sum - point.Count);
        scrapes++;
        if (skew > 0)
        {
            skewed++;
            total += skew;
            max = Math.Max(max, skew);
        }
    }
    stop.Cancel();
    observers.ForEach(t => t.Join());
    var rate = histogram.Count / watch.Elapsed.TotalSeconds;
    Console.WriteLine(
        $"{(native ? "native" : "classic"),-8} {load,-22} {rate,9:F0} {scrapes,12} {skewed,7} {max,15} {(scrapes == 0 ? 0 : total / scrapes),16:G3}");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
