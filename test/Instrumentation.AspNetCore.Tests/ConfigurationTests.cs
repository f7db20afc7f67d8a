using Instrumentation.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Instrumentation.AspNetCore.Tests;

public sealed class ConfigurationTests
{
    private static Task<TestApp> StartAsync(IDictionary<string, string?> configuration, Action<WebApplicationBuilder>? more = null) =>
        TestApp.StartAsync(
            b =>
            {
                b.Services.AddMetricsRegistry();
                more?.Invoke(b);
            },
            app =>
            {
                app.UseHttpMetrics();
                app.MapGet("/hello", () => "hi");
                app.MapMetrics();
            },
            configuration);

    [Fact]
    public async Task Const_labels_from_in_memory_configuration_appear_on_every_series()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["Metrics:ConstLabels:region"] = "eu1",
            ["Metrics:ConstLabels:tier"] = "gold",
        });
        app.Services.GetRequiredService<ICounter<RequestsServed>>().Inc();
        await app.Client.GetStringAsync("/hello");
        await app.Client.GetStringAsync("/metrics");

        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Contains(samples, s => s.Name == "test_requests_served_total");
        Assert.Contains(samples, s => s.Name == "http_requests_received_total");
        Assert.Contains(samples, s => s.Name == "metrics_handler_requests_total");
        Assert.All(samples, s => Assert.True(s.Has(("region", "eu1"), ("tier", "gold")), $"{s.Name} lacks the const labels"));
    }

    [Fact]
    public async Task An_invalid_const_label_name_stops_start_up_naming_the_key()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(new Dictionary<string, string?> { ["Metrics:ConstLabels:bad-name"] = "x" }));

        Assert.Contains("Metrics:ConstLabels:bad-name", ex.Message);
        Assert.Contains("not a valid label name", ex.Message);
    }

    [Fact]
    public async Task A_reserved_const_label_name_stops_start_up_naming_the_key()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(new Dictionary<string, string?> { ["Metrics:ConstLabels:__internal"] = "x" }));

        Assert.Contains("Metrics:ConstLabels:__internal", ex.Message);
    }

    [Fact]
    public async Task An_invalid_namespace_stops_start_up_naming_the_key()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(new Dictionary<string, string?> { ["Metrics:Namespace"] = "my-shop" }));

        Assert.Contains("Metrics:Namespace", ex.Message);
        Assert.Contains("my-shop", ex.Message);
    }

    [Fact]
    public async Task Every_problem_is_reported_at_once()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(new Dictionary<string, string?>
        {
            ["Metrics:Namespace"] = "1shop",
            ["Metrics:ConstLabels:a.b"] = "x",
        }));

        Assert.Contains("Metrics:Namespace", ex.Message);
        Assert.Contains("Metrics:ConstLabels:a.b", ex.Message);
    }

    [Fact]
    public void Collector_settings_and_meters_are_bound_from_configuration_and_builder_calls()
    {
        using var services = Services.Build(
            new Dictionary<string, string?>
            {
                ["Metrics:Collectors:Process"] = "false",
                ["Metrics:Collectors:Runtime"] = "false",
                ["Metrics:Collectors:Meters:0"] = "Microsoft.AspNetCore.*",
            },
            s => s.AddMetricsRegistry().AddRuntimeCollector().AddMeter("Shop.Orders").AddMeter("Shop.Orders"));

        var options = services.GetRequiredService<IOptions<MetricsOptions>>().Value;

        Assert.False(options.Collectors.Process);
        Assert.True(options.Collectors.Runtime);
        Assert.Equal(["Microsoft.AspNetCore.*", "Shop.Orders"], options.Collectors.Meters);
    }

    [Fact]
    public void Collectors_default_to_on()
    {
        using var services = Services.Build();

        var options = services.GetRequiredService<IOptions<MetricsOptions>>().Value;

        Assert.True(options.Collectors.Process);
        Assert.True(options.Collectors.Runtime);
        Assert.Empty(options.Collectors.Meters);
    }

    [Fact]
    public void AddMetricsRegistry_twice_is_harmless()
    {
        using var services = Services.Build(
            new Dictionary<string, string?> { ["Metrics:Collectors:Meters:0"] = "A" },
            s => s.AddMetricsRegistry(o => o.Namespace = "twice"));

        var options = services.GetRequiredService<IOptions<MetricsOptions>>().Value;

        Assert.Equal(["A"], options.Collectors.Meters);
        Assert.Equal("twice", options.Namespace);
        Assert.Single(services.GetServices<Registry>());
        Assert.Single(services.GetServices<Microsoft.Extensions.Hosting.IHostedService>());
    }

    [Fact]
    public void The_registry_is_also_the_registerer_and_the_gatherer()
    {
        using var services = Services.Build();

        var registry = services.GetRequiredService<Registry>();

        Assert.Same(registry, services.GetRequiredService<IRegisterer>());
        Assert.Same(registry, services.GetRequiredService<IGatherer>());
        Assert.NotNull(services.GetRequiredService<IMetricFactory>());
    }

    [Fact]
    public void Options_set_in_code_are_applied_after_configuration()
    {
        using var services = Services.Build(
            new Dictionary<string, string?> { ["Metrics:Namespace"] = "fromconfig" },
            s => s.AddMetricsRegistry(o => o.ConstLabels["instance"] = "a"));

        var options = services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        services.GetRequiredService<IMetricFactory>().CreateCounter(new CounterOptions { Name = "x_total", Help = "x" }).Inc();

        Assert.Equal("fromconfig", options.Namespace);
        Assert.Equal(1, services.Scrape().Value("fromconfig_x_total", ("instance", "a")));
    }
}
