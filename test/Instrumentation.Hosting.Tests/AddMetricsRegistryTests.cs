using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Instrumentation.Hosting.Tests;

public sealed class WorkItems : ICounterDefinition
{
    public static string Name => "work_items_total";
    public static string Help => "Work items done.";
}

/// <summary><c>AddMetricsRegistry</c> outside ASP.NET Core: a bare container and a Generic Host.</summary>
public sealed class AddMetricsRegistryTests
{
    private static double Value(IGatherer gatherer, string name) =>
        gatherer.Gather().Single(f => f.Name == name).Metrics.Single().Value;

    [Fact]
    public void Works_on_a_bare_service_collection_without_configuration()
    {
        var services = new ServiceCollection();
        services.AddMetricsRegistry(o =>
        {
            o.Namespace = "app";
            o.ConstLabels["env"] = "test";
            o.Collectors.Process = false;
            o.Collectors.Runtime = false;
        });
        using var provider = services.BuildServiceProvider(validateScopes: true);

        provider.GetRequiredService<ICounter<WorkItems>>().Add(3);
        provider.GetRequiredService<IMetricFactory>().CreateGauge(new GaugeOptions { Name = "queue_length", Help = "Queued." }).Set(2);

        var registry = provider.GetRequiredService<Registry>();
        Assert.Same(registry, provider.GetRequiredService<IGatherer>());
        Assert.Same(registry, provider.GetRequiredService<IRegisterer>());
        var families = registry.Gather();
        var work = families.Single(f => f.Name == "app_work_items_total");
        Assert.Equal(3, work.Metrics.Single().Value);
        Assert.Contains(work.Metrics.Single().Labels, l => l.Name == "env" && l.Value == "test");
        Assert.Equal(2, Value(registry, "app_queue_length"));
    }

    [Fact]
    public void Invalid_options_from_code_fail_naming_the_key_when_first_read()
    {
        var services = new ServiceCollection();
        services.AddMetricsRegistry(o => o.ConstLabels["bad-name"] = "x");
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<Registry>());

        Assert.Contains("Metrics:ConstLabels:bad-name", ex.Message);
    }

    [Fact]
    public async Task A_generic_host_binds_the_metrics_section_and_registers_collectors_at_start()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Metrics:Namespace"] = "worker",
            ["Metrics:ConstLabels:region"] = "eu1",
            ["Metrics:Collectors:Process"] = "false",
            ["Metrics:Collectors:Runtime"] = "true",
        });
        builder.Services.AddMetricsRegistry().AddCollector<FixedCollector>();
        using var host = builder.Build();

        await host.StartAsync(CancellationToken.None);
        try
        {
            var registry = host.Services.GetRequiredService<Registry>();
            host.Services.GetRequiredService<ICounter<WorkItems>>().Inc();

            var names = registry.Gather().Select(f => f.Name).ToList();
            Assert.Contains("worker_work_items_total", names);
            Assert.Contains("fixed_value", names);
            Assert.Contains("dotnet_build_info", names);
            Assert.DoesNotContain("process_cpu_seconds_total", names);
            Assert.All(registry.Gather().SelectMany(f => f.Metrics), m => Assert.Contains(m.Labels, l => l.Name == "region" && l.Value == "eu1"));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_generic_host_with_invalid_configuration_fails_start_up_naming_the_key()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Metrics:Collectors:MeterMaxSeries"] = "-1" });
        builder.Services.AddMetricsRegistry();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));

        Assert.Contains("Metrics:Collectors:MeterMaxSeries", ex.Message);
    }

    public sealed class FixedCollector : ICollector
    {
        private static readonly Desc Fixed = new("fixed_value", "A fixed value.", [], null);

        public IEnumerable<Desc> Describe() => [Fixed];

        public IEnumerable<IMetric> Collect() => [ConstMetric.Gauge(Fixed, 1)];
    }
}
