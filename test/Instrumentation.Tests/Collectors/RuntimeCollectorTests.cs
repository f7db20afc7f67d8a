using System.Reflection;
using Instrumentation.Collectors;
using static Instrumentation.Tests.Collectors.CollectorTestHelpers;

namespace Instrumentation.Tests.Collectors;

public class RuntimeCollectorTests
{
    [Fact]
    public void Gather_reports_runtime_metrics_with_sane_values()
    {
        using var collector = new RuntimeCollector();

        var families = Gather(collector);

        var collections = families.Family("dotnet_gc_collection_count_total");
        Assert.Equal(MetricType.Counter, collections.Type);
        Assert.Equal(["gen0", "gen1", "gen2"], collections.Metrics.Select(m => m.Labels.GetValue("generation")));
        Assert.Equal(["gen0", "gen1", "gen2", "loh", "poh"], families.Family("dotnet_gc_heap_size_bytes").Metrics.Select(m => m.Labels.GetValue("generation")));
        Assert.True(families.Value("dotnet_gc_allocated_bytes_total") > 0);
        Assert.True(families.Value("dotnet_gc_available_memory_bytes") > 0);
        Assert.True(families.Value("dotnet_threadpool_threads") >= 0);
        Assert.True(families.Value("dotnet_threadpool_queue_length") >= 0);
        Assert.True(families.Value("dotnet_jit_methods_compiled_total") > 0);
        Assert.True(families.Value("dotnet_jit_il_compiled_bytes_total") > 0);
        Assert.True(families.Value("dotnet_assemblies_loaded") > 1);
        Assert.True(families.Value("dotnet_timers_active") >= 0);
        Assert.True(families.Value("dotnet_gc_pause_seconds_total") >= 0);
        Assert.Equal(MetricType.Counter, families.Family("dotnet_lock_contentions_total").Type);
        Assert.Equal(17, collector.Describe().Count());
    }

    [Fact]
    public void Forced_gc_raises_the_gen2_counter_and_the_gen0_counter()
    {
        using var collector = new RuntimeCollector();
        var before = Gather(collector).Family("dotnet_gc_collection_count_total");

        GC.Collect(2, GCCollectionMode.Forced, blocking: true);

        var after = Gather(collector).Family("dotnet_gc_collection_count_total");
        Assert.True(after.Series("generation=gen2").Value > before.Series("generation=gen2").Value);
        Assert.True(after.Series("generation=gen0").Value > before.Series("generation=gen0").Value);
    }

    [Fact]
    public void Thrown_exception_raises_the_exception_counter()
    {
        using var collector = new RuntimeCollector();
        var before = Gather(collector).Value("dotnet_exceptions_thrown_total");

        for (var i = 0; i < 3; i++)
        {
            try
            {
                throw new InvalidOperationException("counted");
            }
            catch (InvalidOperationException)
            {
            }
        }

        // Other tests may throw meanwhile: at least our three were counted.
        Assert.True(Gather(collector).Value("dotnet_exceptions_thrown_total") >= before + 3);
    }

    [Fact]
    public void Dispose_stops_counting_exceptions()
    {
        var collector = new RuntimeCollector();
        collector.Dispose();
        var before = Gather(collector).Value("dotnet_exceptions_thrown_total");

        try
        {
            throw new InvalidOperationException("not counted");
        }
        catch (InvalidOperationException)
        {
        }

        Assert.Equal(before, Gather(collector).Value("dotnet_exceptions_thrown_total"));
        collector.Dispose(); // idempotent
    }

    [Fact]
    public void Describe_covers_everything_collected()
    {
        using var collector = new RuntimeCollector();
        var described = collector.Describe().ToHashSet();

        Assert.All(collector.Collect(), m => Assert.Contains(m.Desc, described));
        Assert.All(described, d => Assert.Null(d.Error));
    }
}

public class BuildInfoCollectorTests
{
    [Fact]
    public void Build_info_is_one_with_runtime_and_entry_assembly_labels()
    {
        var family = Gather(new BuildInfoCollector()).Family("dotnet_build_info");

        var point = Single(family);
        Assert.Equal(MetricType.Gauge, family.Type);
        Assert.Equal(1, point.Value);
        Assert.Equal(Environment.Version.ToString(), point.Labels.GetValue("version"));
        Assert.Equal(System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, point.Labels.GetValue("runtime"));
        Assert.StartsWith(".NET", point.Labels.GetValue("framework"));
        Assert.Equal(Assembly.GetEntryAssembly()?.GetName().Name ?? "", point.Labels.GetValue("assembly"));
        Assert.NotNull(point.Labels.GetValue("assembly_version"));
    }
}
