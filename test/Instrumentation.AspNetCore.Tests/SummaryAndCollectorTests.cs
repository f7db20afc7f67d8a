using Microsoft.AspNetCore.Builder;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.AspNetCore.Tests;

public sealed class SummaryAndCollectorTests
{
    [Fact]
    public void Typed_summary_reports_its_objectives_per_label_value()
    {
        using var services = Services.Build();
        var latency = services.GetRequiredService<ISummary<CheckoutLatency>>();

        for (var i = 1; i <= 100; i++)
        {
            latency.WithLabels("pay").Observe(i);
        }

        var samples = services.Scrape();
        Assert.Same(latency, services.GetRequiredService<ISummary<CheckoutLatency>>());
        Assert.Equal(100, samples.Value("test_checkout_latency_seconds_count", ("step", "pay")));
        Assert.Equal(5050, samples.Value("test_checkout_latency_seconds_sum", ("step", "pay")));
        Assert.InRange(samples.Value("test_checkout_latency_seconds", ("step", "pay"), ("quantile", "0.5")), 45, 55);
    }

    [Fact]
    public void Summary_with_invalid_objectives_fails_naming_the_definition()
    {
        using var services = Services.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ISummary<BadObjectives>>());

        Assert.Contains(typeof(BadObjectives).FullName!, ex.Message);
    }

    [Fact]
    public void Factory_summaries_with_other_objectives_are_another_shape()
    {
        var factory = new MetricFactory(new Registry());
        var first = factory.CreateSummary(new SummaryOptions { Name = "s_seconds", Help = "s", Objectives = new Dictionary<double, double> { [0.5] = 0.05 } });

        var again = factory.CreateSummary(new SummaryOptions { Name = "s_seconds", Help = "s", Objectives = new Dictionary<double, double> { [0.5] = 0.05 } });
        var ex = Assert.Throws<ArgumentException>(() =>
            factory.CreateSummary(new SummaryOptions { Name = "s_seconds", Help = "s", Objectives = new Dictionary<double, double> { [0.9] = 0.01 } }));

        Assert.Same(first, again);
        Assert.Contains("objectives {0.5: 0.05}", ex.Message);
        Assert.Contains("objectives {0.9: 0.01}", ex.Message);
    }

    [Fact]
    public async Task Process_and_runtime_collectors_run_by_default()
    {
        await using var app = await TestApp.StartAsync(b => b.Services.AddMetricsRegistry(), app => app.MapMetrics());

        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Contains(samples, s => s.Name == "process_cpu_seconds_total");
        Assert.Contains(samples, s => s.Name == "dotnet_gc_allocated_bytes_total");
        Assert.Contains(samples, s => s.Name == "dotnet_build_info" && s.Value == 1);
    }

    [Fact]
    public async Task Process_and_runtime_collectors_can_be_turned_off_in_configuration()
    {
        await using var app = await TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry(),
            app => app.MapMetrics(),
            new Dictionary<string, string?> { ["Metrics:Collectors:Process"] = "false", ["Metrics:Collectors:Runtime"] = "false" });

        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.DoesNotContain(samples, s => s.Name.StartsWith("process_", StringComparison.Ordinal));
        Assert.DoesNotContain(samples, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Meters_named_in_configuration_are_exposed()
    {
        using var meter = new Meter("Tests.Shop." + Guid.NewGuid().ToString("N"));
        var orders = meter.CreateCounter<long>("shop.orders", unit: "{order}", description: "Orders.");
        await using var app = await TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry(),
            app => app.MapMetrics(),
            new Dictionary<string, string?> { ["Metrics:Collectors:Meters:0"] = "Tests.Shop.*" });

        orders.Add(3);
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(3, samples.Value("shop_orders_total"));
    }

    [Fact]
    public async Task AddMeter_exposes_a_meter_named_in_code()
    {
        using var meter = new Meter("Tests.Code." + Guid.NewGuid().ToString("N"));
        var queue = meter.CreateUpDownCounter<int>("queue.depth");
        await using var app = await TestApp.StartAsync(b => b.Services.AddMetricsRegistry().AddMeter(meter.Name), app => app.MapMetrics());

        queue.Add(4);
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(4, samples.Value("queue_depth"));
    }
}
