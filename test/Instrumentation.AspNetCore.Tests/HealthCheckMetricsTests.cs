using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Instrumentation.AspNetCore.Tests;

public sealed class HealthCheckMetricsTests
{
    [Fact]
    public async Task Each_checks_status_is_published_as_1_healthy_0_5_degraded_0_unhealthy()
    {
        using var services = Services.Build(configure: s => s.AddHealthChecks()
            .AddCheck("db", () => HealthCheckResult.Healthy())
            .AddCheck("cache", () => HealthCheckResult.Degraded())
            .AddCheck("queue", () => HealthCheckResult.Unhealthy())
            .ForwardToMetrics());

        await PublishAsync(services, await services.GetRequiredService<HealthCheckService>().CheckHealthAsync());
        var samples = services.Scrape();

        Assert.Equal(1, samples.Value("aspnetcore_healthcheck_status", ("name", "db")));
        Assert.Equal(0.5, samples.Value("aspnetcore_healthcheck_status", ("name", "cache")));
        Assert.Equal(0, samples.Value("aspnetcore_healthcheck_status", ("name", "queue")));
        Assert.Equal(3, samples.Named("aspnetcore_healthcheck_duration_seconds").Count());
    }

    [Fact]
    public async Task A_later_report_replaces_the_status_and_duration()
    {
        using var services = Services.Build(configure: s => s.AddHealthChecks().AddCheck("db", () => HealthCheckResult.Healthy()).ForwardToMetrics());

        await PublishAsync(services, Report(("db", HealthStatus.Healthy, TimeSpan.FromMilliseconds(250))));
        await PublishAsync(services, Report(("db", HealthStatus.Degraded, TimeSpan.FromMilliseconds(1500))));
        var samples = services.Scrape();

        Assert.Equal(0.5, samples.Value("aspnetcore_healthcheck_status", ("name", "db")));
        Assert.Equal(1.5, samples.Value("aspnetcore_healthcheck_duration_seconds", ("name", "db")));
    }

    [Fact]
    public async Task The_predicate_chooses_which_checks_are_published()
    {
        using var services = Services.Build(configure: s => s.AddHealthChecks()
            .AddCheck("db", () => HealthCheckResult.Healthy(), tags: ["ready"])
            .AddCheck("self", () => HealthCheckResult.Healthy())
            .ForwardToMetrics(o => o.Predicate = check => check.Tags.Contains("ready")));

        await PublishAsync(services, await services.GetRequiredService<HealthCheckService>().CheckHealthAsync());
        var samples = services.Scrape();

        Assert.Equal("db", Assert.Single(samples.Named("aspnetcore_healthcheck_status")).Labels["name"]);
        Assert.Equal("db", Assert.Single(samples.Named("aspnetcore_healthcheck_duration_seconds")).Labels["name"]);
    }

    [Fact]
    public void Calling_it_twice_adds_one_publisher()
    {
        using var services = Services.Build(configure: s => s.AddHealthChecks().AddCheck("db", () => HealthCheckResult.Healthy()).ForwardToMetrics().ForwardToMetrics());

        Assert.Single(services.GetServices<IHealthCheckPublisher>());
    }

    [Fact]
    public async Task A_running_host_publishes_the_checks_in_the_background()
    {
        await using var app = await TestApp.StartAsync(
            b =>
            {
                b.Services.AddMetricsRegistry();
                b.Services.Configure<HealthCheckPublisherOptions>(o =>
                {
                    o.Delay = TimeSpan.Zero;
                    o.Period = TimeSpan.FromSeconds(1);
                });
                b.Services.AddHealthChecks().AddCheck("db", () => HealthCheckResult.Degraded("slow")).ForwardToMetrics();
            },
            app => app.MapMetrics());

        // The publisher's first run starts with the host; wait for it (bounded), then read the scrape.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<Sample> samples;
        do
        {
            samples = Exposition.Parse(await app.ScrapeAsync());
            if (samples.Any(s => s.Name == "aspnetcore_healthcheck_status"))
            {
                break;
            }
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Equal(0.5, samples.Value("aspnetcore_healthcheck_status", ("name", "db")));
        Assert.Contains(samples, s => s.Name == "aspnetcore_healthcheck_duration_seconds" && s.Labels["name"] == "db");
    }

    [Fact]
    public void Without_AddMetricsRegistry_resolving_the_publisher_says_what_to_add()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHealthChecks().AddCheck("db", () => HealthCheckResult.Healthy()).ForwardToMetrics();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetServices<IHealthCheckPublisher>().ToList());

        Assert.Contains("AddMetricsRegistry", error.Message);
    }

    [Fact]
    public async Task The_families_pass_the_metric_name_linter()
    {
        using var services = Services.Build(configure: s => s.AddHealthChecks().AddCheck("db", () => HealthCheckResult.Healthy()).ForwardToMetrics());
        await PublishAsync(services, Report(("db", HealthStatus.Healthy, TimeSpan.FromMilliseconds(3))));

        var families = services.GetRequiredService<Registry>().Gather().Where(f => f.Name.StartsWith("aspnetcore_healthcheck_", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, families.Count);
        Assert.Empty(Instrumentation.Testing.Linter.Lint(families));
    }

    private static Task PublishAsync(IServiceProvider services, HealthReport report) =>
        Assert.Single(services.GetServices<IHealthCheckPublisher>()).PublishAsync(report, CancellationToken.None);

    private static HealthReport Report(params (string Name, HealthStatus Status, TimeSpan Duration)[] entries) => new(
        entries.ToDictionary(e => e.Name, e => new HealthReportEntry(e.Status, null, e.Duration, null, null)),
        entries.Aggregate(TimeSpan.Zero, (total, e) => total + e.Duration));
}
