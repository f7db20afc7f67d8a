using System.Diagnostics.Metrics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Instrumentation.Exposition;
using Prom = Prometheus;

namespace Instrumentation.Benchmarks;

/// <summary>
/// <c>--memory [N]</c>: heap bytes per series of a labelled counter child and an 11-bucket histogram child in ours,
/// prometheus-net 8.2.1 and the OpenTelemetry SDK (+ its Prometheus exporter), and what one child of ours and of
/// prometheus-net is made of.
/// <para>
/// Per series: <c>GC.GetTotalMemory(true)</c> before and after creating one family and <c>N</c> children (3 labels:
/// method, route, code; each child updated once), divided by <c>N</c>, so the family's fixed cost is amortised away.
/// The label value strings are created before the first reading and are not counted; the arrays that hold them are,
/// if the library keeps them. "After a scrape" is read again after one scrape through the library's own exporter
/// with whatever that exporter keeps for the next scrape (our endpoint's reused <see cref="GatherBuffer"/>, the
/// OpenTelemetry exporter's output buffer) still alive, since a scraped application holds that too.
/// </para>
/// <para>
/// Layout: a family with three children; every object reachable from the first child's fields but not from the
/// second's is the child's own (shared objects such as the descriptor are excluded), sized by allocating one of each
/// type or array length and reading <c>GC.GetAllocatedBytesForCurrentThread</c>. What the total holds beyond that is
/// the family's index of its children (hash-table nodes, buckets, dictionaries).
/// </para>
/// </summary>
public static class MemoryReport
{
    private static readonly Dictionary<(Type, int), long> SizeCache = [];

    public static void Run(int n)
    {
        var routes = Enumerable.Range(0, n).Select(i => "/api/v1/resource/" + i).ToArray();
        var codes = Enumerable.Range(0, n).Select(i => (200 + i % 5).ToString()).ToArray();
        Console.WriteLine($"Heap per series, N = {n:N0} children, 3 labels (label strings not counted); .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine();
        Console.WriteLine("| library | series | after creation | after a scrape | the same, exporter's reused buffers released | allocated while creating |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");

        Measure("ours", "counter child", n, () =>
        {
            var vec = new CounterVec(new CounterOptions { Name = "mem_requests_total", Help = "h" }, ["method", "route", "code"]);
            for (var i = 0; i < n; i++)
            {
                vec.WithLabels("GET", routes[i], codes[i]).Inc();
            }
            return vec;
        }, OursScrape);
        Measure("ours", "histogram child (11 buckets)", n, () =>
        {
            var vec = new HistogramVec(new HistogramOptions { Name = "mem_duration_seconds", Help = "h" }, ["method", "route", "code"]);
            for (var i = 0; i < n; i++)
            {
                vec.WithLabels("GET", routes[i], codes[i]).Observe(0.02);
            }
            return vec;
        }, OursScrape);
        Measure("prometheus-net 8.2.1", "counter child", n, () =>
        {
            var (registry, factory) = PrometheusNetPeer.Create();
            var counter = factory.CreateCounter("mem_requests_total", "h", ["method", "route", "code"]);
            for (var i = 0; i < n; i++)
            {
                counter.WithLabels("GET", routes[i], codes[i]).Inc();
            }
            return registry;
        }, PrometheusNetScrape);
        Measure("prometheus-net 8.2.1", "histogram child (11 buckets)", n, () =>
        {
            var (registry, factory) = PrometheusNetPeer.Create();
            var histogram = factory.CreateHistogram("mem_duration_seconds", "h", PrometheusNetPeer.Histogram(Buckets.Default, "method", "route", "code"));
            for (var i = 0; i < n; i++)
            {
                histogram.WithLabels("GET", routes[i], codes[i]).Observe(0.02);
            }
            return registry;
        }, PrometheusNetScrape);
        Measure("OpenTelemetry 1.20.1 SDK + Prometheus exporter", "counter series", n, () =>
        {
            var otel = new OpenTelemetryPrometheusPeer(cardinalityLimit: n + 10);
            var counter = otel.Meter.CreateCounter<long>("mem_requests");
            for (var i = 0; i < n; i++)
            {
                counter.Add(1, new("method", "GET"), new("route", routes[i]), new("code", codes[i]));
            }
            return otel;
        }, OtelScrape);
        Measure("OpenTelemetry 1.20.1 SDK + Prometheus exporter", "histogram series (11 bounds)", n, () =>
        {
            var otel = new OpenTelemetryPrometheusPeer(cardinalityLimit: n + 10);
            var histogram = otel.Meter.CreateHistogram<double>("mem_duration");
            for (var i = 0; i < n; i++)
            {
                histogram.Record(0.02, new("method", "GET"), new("route", routes[i]), new("code", codes[i]));
            }
            return otel;
        }, OtelScrape);

        Console.WriteLine();
        Console.WriteLine("What one child is made of (objects reachable from it and not from a sibling; label strings excluded)");
        var r = new[] { "/r/0", "/r/1", "/r/2" };
        var ourCounters = new CounterVec(new CounterOptions { Name = "lay_total", Help = "h" }, ["method", "route", "code"]);
        var ourRegistry = new Registry();
        ourRegistry.Register(ourCounters);
        var ourHistograms = new HistogramVec(new HistogramOptions { Name = "lay_seconds", Help = "h" }, ["method", "route", "code"]);
        ourRegistry.Register(ourHistograms);
        var (promRegistry, promFactory) = PrometheusNetPeer.Create();
        var promCounter = promFactory.CreateCounter("lay_total", "h", ["method", "route", "code"]);
        var promHistogram = promFactory.CreateHistogram("lay_seconds", "h", PrometheusNetPeer.Histogram(Buckets.Default, "method", "route", "code"));
        var ourCounterChildren = r.Select(v => { var c = ourCounters.WithLabels("GET", v, "200"); c.Inc(); return (object)c; }).ToArray();
        var ourHistogramChildren = r.Select(v => { var h = ourHistograms.WithLabels("GET", v, "200"); h.Observe(0.02); return (object)h; }).ToArray();
        var promCounterChildren = r.Select(v => { var c = promCounter.WithLabels("GET", v, "200"); c.Inc(); return (object)c; }).ToArray();
        var promHistogramChildren = r.Select(v => { var h = promHistogram.WithLabels("GET", v, "200"); h.Observe(0.02); return (object)h; }).ToArray();
        foreach (var scraped in new[] { false, true })
        {
            if (scraped)
            {
                Console.WriteLine();
                Console.WriteLine("The same children after one scrape through each library's exporter:");
                ExpositionWriter.Write(new CountingStream(), ourRegistry.Gather(new GatherBuffer()), ExpositionFormat.Default);
                promRegistry.CollectAndExportAsTextAsync(new CountingStream()).GetAwaiter().GetResult();
            }
            Layout("ours, counter child", r, ourCounterChildren, ourCounters);
            Layout("ours, histogram child (11 buckets)", r, ourHistogramChildren, ourHistograms);
            Layout("prometheus-net, counter child", r, promCounterChildren, promCounter);
            Layout("prometheus-net, histogram child (11 buckets)", r, promHistogramChildren, promHistogram);
        }

        Console.WriteLine();
        Console.WriteLine("What our reused GatherBuffer keeps per series between scrapes (pooled points):");
        Console.WriteLine();
        Console.WriteLine("| object | bytes |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| MetricPoint (one per series) | {SizeOf(new MetricPoint())} |");
        Console.WriteLine($"| Bucket[12] (a histogram point's rented buckets) | {SizeOf(new Bucket[12])} |");
        Console.WriteLine("| List<MetricPoint> slot | 8 |");
    }

    private static void Measure(string library, string what, int n, Func<object> create, Func<object, object?> scrape)
    {
        // Warm up: JIT the paths and fill one-off caches (e.g. statics, pools) outside the measured window.
        var warm = CreateSmall(create);
        scrape(warm);
        GC.KeepAlive(warm);
        warm = null;

        var before = Settle();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var root = create();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var afterCreate = Settle();
        var afterScrape = ScrapeAndSettle(root, scrape);
        var released = Settle();
        GC.KeepAlive(root);
        Console.WriteLine($"| {library} | {what} | {(afterCreate - before) / (double)n:F0} B | {(afterScrape - before) / (double)n:F0} B | {(released - before) / (double)n:F0} B | {allocated / (double)n:F0} B |");
        (root as IDisposable)?.Dispose();
    }

    /// <summary>Scrapes and measures while what the exporter keeps is alive; it is unreachable once this returns.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ScrapeAndSettle(object root, Func<object, object?> scrape)
    {
        var kept = scrape(root);
        var settled = Settle();
        GC.KeepAlive(kept);
        return settled;
    }

    private static object CreateSmall(Func<object> create) => create();

    private static long Settle()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static object? OursScrape(object vec)
    {
        var registry = new Registry();
        registry.Register((ICollector)vec);
        var buffer = new GatherBuffer();
        ExpositionWriter.Write(new CountingStream(), registry.Gather(buffer), ExpositionFormat.Default);
        return (registry, buffer);
    }

    private static object? PrometheusNetScrape(object registry)
    {
        ((Prom.CollectorRegistry)registry).CollectAndExportAsTextAsync(new CountingStream()).GetAwaiter().GetResult();
        return null;
    }

    private static object? OtelScrape(object otel)
    {
        ((OpenTelemetryPrometheusPeer)otel).ScrapeAsync(new CountingStream(), openMetrics: false).GetAwaiter().GetResult();
        return null;
    }

    private static void Layout(string title, string[] labelValues, object[] children, object family)
    {
        var a = children[0];
        var b = children[1];
        var c = children[2];
        // The family is a barrier: siblings can reach each other through it (prometheus-net's children point to
        // their parent), and what it holds for each child is its index, accounted for by the totals above.
        var excluded = new HashSet<object>(ReferenceEqualityComparer.Instance) { family };
        foreach (var value in labelValues.Concat(["GET", "200"]))
        {
            excluded.Add(value);
        }
        var shared = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var barrier = new HashSet<object>(excluded, ReferenceEqualityComparer.Instance) { a };
        Reach(b, shared, barrier);
        Reach(c, shared, barrier);
        var own = new List<object>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        CollectOwn(a, shared, excluded, seen, own);
        Console.WriteLine();
        Console.WriteLine($"{title}:");
        Console.WriteLine();
        Console.WriteLine("| object | bytes |");
        Console.WriteLine("|---|---:|");
        long total = 0;
        foreach (var o in own)
        {
            var size = SizeOf(o);
            total += size;
            Console.WriteLine($"| {Describe(o)} | {size} |");
        }
        Console.WriteLine($"| **total reachable from the child** | **{total}** |");
        GC.KeepAlive(a);
    }

    private static string Describe(object o) => o switch
    {
        Array array => $"{Name(array.GetType().GetElementType()!)}[{array.Length}]",
        string s => $"string (\"{s}\")",
        _ => Name(o.GetType()),
    };

    private static string Name(Type type)
    {
        if (!type.IsGenericType)
        {
            return (type.DeclaringType is { } outer ? Name(outer) + "." : "") + type.Name;
        }
        var name = type.Name[..type.Name.IndexOf('`')];
        return $"{(type.DeclaringType is { } d ? Name(d) + "." : "")}{name}<{string.Join(", ", type.GetGenericArguments().Select(Name))}>";
    }

    /// <summary>Adds every object reachable from <paramref name="root"/> to <paramref name="set"/>.</summary>
    private static void Reach(object root, HashSet<object> set, HashSet<object> excluded)
    {
        var stack = new Stack<object>();
        stack.Push(root);
        while (stack.Count > 0 && set.Count < 100_000)
        {
            var o = stack.Pop();
            if (excluded.Contains(o) || !set.Add(o))
            {
                continue;
            }
            foreach (var next in References(o))
            {
                stack.Push(next);
            }
        }
    }

    private static void CollectOwn(object root, HashSet<object> shared, HashSet<object> excluded, HashSet<object> seen, List<object> own)
    {
        var stack = new Stack<object>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var o = stack.Pop();
            if (excluded.Contains(o) || shared.Contains(o) || !seen.Add(o) || o is Type or Delegate or MemberInfo)
            {
                continue;
            }
            own.Add(o);
            foreach (var next in References(o))
            {
                stack.Push(next);
            }
        }
    }

    private static IEnumerable<object> References(object o)
    {
        if (o is string or Type or Delegate or MemberInfo)
        {
            yield break;
        }
        if (o is Array array)
        {
            var element = array.GetType().GetElementType()!;
            if (element.IsPrimitive || element.IsPointer)
            {
                yield break;
            }
            foreach (var item in array)
            {
                if (item is null)
                {
                    continue;
                }
                if (element.IsValueType)
                {
                    foreach (var inner in References(item))
                    {
                        yield return inner;
                    }
                }
                else
                {
                    yield return item;
                }
            }
            yield break;
        }
        for (var type = o.GetType(); type is not null; type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPrimitive || field.FieldType.IsPointer || field.FieldType.IsByRefLike)
                {
                    continue;
                }
                object? value;
                try
                {
                    value = field.GetValue(o);
                }
                catch (Exception)
                {
                    continue;
                }
                if (value is null)
                {
                    continue;
                }
                if (field.FieldType.IsValueType && !field.FieldType.IsEnum)
                {
                    // A struct field: its own references, not the boxed copy.
                    foreach (var inner in References(value))
                    {
                        yield return inner;
                    }
                }
                else if (!field.FieldType.IsValueType)
                {
                    yield return value;
                }
            }
        }
    }

    /// <summary>The heap size of <paramref name="o"/>: measured by allocating one of the same type (or array length).</summary>
    private static long SizeOf(object o)
    {
        var type = o.GetType();
        var length = o is Array a ? a.Length : o is string s ? s.Length : -1;
        if (SizeCache.TryGetValue((type, length), out var size))
        {
            return size;
        }
        Func<object> make = o switch
        {
            string => () => new string('x', length),
            Array => () => Array.CreateInstance(type.GetElementType()!, length),
            _ => () => RuntimeHelpers.GetUninitializedObject(type),
        };
        make();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var made = make();
        size = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(made);
        SizeCache[(type, length)] = size;
        return size;
    }
}
