namespace Instrumentation.Tests.Parity;

/// <summary>Wrapping keeps nothing built by one scrape alive after it.</summary>
[Collection(HeapMeasurement.Name)]
public class WrappingMemoryTests
{
    private const int Scrapes = 100_000;
    private const long Slack = 1 << 20;

    [Fact]
    public void Scrapes_of_a_registry_with_const_labels_and_a_descriptor_per_collect_collector_keep_the_live_heap_where_it_was()
    {
        var registry = new Registry(new RegistryOptions { ConstLabels = new Dictionary<string, string> { ["service"] = "shop" } });
        registry.Register(new DescriptorPerCollectCollector());

        AssertHeapFlat(registry);
    }

    [Fact]
    public void Scrapes_of_a_nested_wrapping_registerer_with_a_descriptor_per_collect_collector_keep_the_live_heap_where_it_was()
    {
        var registry = new Registry(new RegistryOptions { ConstLabels = new Dictionary<string, string> { ["service"] = "shop" } });
        registry.WrapWithPrefix("app_").WrapWithLabels(new Dictionary<string, string> { ["zone"] = "eu" }).Register(new DescriptorPerCollectCollector());

        var family = Assert.Single(registry.Gather());
        Assert.Equal("app_dynamic_queue_length", family.Name);
        Assert.Equal("{queue=\"orders\",service=\"shop\",zone=\"eu\"}", family.Metrics.Single().Labels.ToString());
        AssertHeapFlat(registry);
    }

    [Fact]
    public void Steady_state_wrapped_gather_of_long_lived_metrics_allocates_nothing_per_series()
    {
        var registry = new Registry(new RegistryOptions { ConstLabels = new Dictionary<string, string> { ["service"] = "shop" } });
        var vec = new CounterVec(new CounterOptions { Name = "x_total", Help = "X." }, ["k"]);
        registry.WrapWithPrefix("app_").Register(vec);
        for (var i = 0; i < 200; i++)
        {
            vec.WithLabels("v" + i).Inc();
        }
        var buffer = new GatherBuffer();
        Assert.Equal(200, registry.Gather(buffer).Single().Metrics.Count);
        registry.Gather(buffer);

        var least = long.MaxValue;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            registry.Gather(buffer);
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        // 200 series through two wrappers: a wrapped desc, metric or label set per series would be kilobytes.
        Assert.True(least < 1024, $"Gather allocated {least} bytes.");
    }

    private static void AssertHeapFlat(Registry registry)
    {
        var buffer = new GatherBuffer();
        for (var i = 0; i < 2_000; i++)
        {
            registry.Gather(buffer);
        }
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < Scrapes; i++)
        {
            registry.Gather(buffer);
        }
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(registry);
        Assert.True(after - before < Slack, $"The live heap grew by {after - before:N0} bytes over {Scrapes:N0} scrapes.");
    }
}

/// <summary>The per-object wrap cache (a short list of levels on the wrapped desc or label set).</summary>
public class WrapCacheTests
{
    [Fact]
    public void A_desc_is_wrapped_once_per_level_and_a_full_list_makes_room_for_a_new_level()
    {
        var desc = new Desc("x", "X.", ["k"], null);
        var labels = new LabelSet([new LabelPair("k", "v")]);
        var levels = Enumerable.Range(0, 6).Select(i => new WrapLevel("p" + i + "_", new Dictionary<string, string> { ["l"] = i.ToString() })).ToArray();

        foreach (var level in levels)
        {
            var wrapped = level.Wrap(desc);
            Assert.Same(wrapped, level.Wrap(desc));
            Assert.Equal(level.Prefix + "x", wrapped.FqName);
            var wrappedLabels = level.Wrap(labels);
            Assert.Same(wrappedLabels, level.Wrap(labels));
            Assert.Equal(level.Labels["l"], wrappedLabels.GetValue("l"));
        }
        // The newest levels stay remembered after the list restarted.
        Assert.Same(levels[5].Wrap(desc), levels[5].Wrap(desc));
    }
}
