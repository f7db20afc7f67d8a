using System.Diagnostics.Metrics;
using Instrumentation.Collectors;
using Instrumentation.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Instrumentation.AspNetCore.Tests;

/// <summary><c>Metrics:Collectors:MeterMaxSeries</c>: the series cap of the DI-created meter bridge.</summary>
public sealed class MeterSeriesCapConfigurationTests
{
    // Its own meter name, so that tests running in parallel never see each other's instruments.
    private readonly string _meterName = "Test.CapConfig." + Guid.NewGuid().ToString("N");

    private Task<TestApp> StartAsync(string? maxSeries)
    {
        var configuration = new Dictionary<string, string?>
        {
            ["Metrics:Collectors:Process"] = "false",
            ["Metrics:Collectors:Runtime"] = "false",
            ["Metrics:Collectors:Meters:0"] = _meterName,
        };
        if (maxSeries is not null)
        {
            configuration["Metrics:Collectors:MeterMaxSeries"] = maxSeries;
        }
        return TestApp.StartAsync(b => b.Services.AddMetricsRegistry(), app => app.MapMetrics(), configuration);
    }

    private static KeyValuePair<string, object?> User(int id) => new("user", id);

    [Fact]
    public void Meter_max_series_defaults_to_the_bridges_default()
    {
        using var services = Services.Build();

        Assert.Equal(MeterCollectorOptions.DefaultMaxSeriesPerInstrument, services.GetRequiredService<IOptions<MetricsOptions>>().Value.Collectors.MeterMaxSeries);
    }

    [Fact]
    public void Meter_max_series_is_bound_from_configuration()
    {
        using var services = Services.Build(new Dictionary<string, string?> { ["Metrics:Collectors:MeterMaxSeries"] = "50" });

        Assert.Equal(50, services.GetRequiredService<IOptions<MetricsOptions>>().Value.Collectors.MeterMaxSeries);
    }

    [Fact]
    public async Task A_negative_meter_max_series_stops_start_up_naming_the_key()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync("-1"));

        Assert.Contains("Metrics:Collectors:MeterMaxSeries", ex.Message);
        Assert.Contains("0 for no limit", ex.Message);
    }

    [Fact]
    public async Task A_meter_max_series_that_is_no_number_stops_start_up_naming_the_key()
    {
        // The configuration binder cannot convert the text: it names the key and the type.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync("lots"));

        Assert.Contains("Metrics:Collectors:MeterMaxSeries", ex.Message);
    }

    [Fact]
    public async Task The_configured_cap_sends_further_tag_sets_to_the_overflow_series_on_the_endpoint()
    {
        using var meter = new Meter(_meterName);
        await using var app = await StartAsync("2");
        var logins = meter.CreateCounter<long>("logins");

        logins.Add(1, User(1));
        logins.Add(1, User(2));
        logins.Add(5, User(3));
        logins.Add(7, User(4));
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(3, samples.Count(s => s.Name == "logins_total"));
        Assert.Equal(12, samples.Value("logins_total", ("user", "__overflow__")));
        Assert.Equal(1, samples.Value("logins_total", ("user", "1")));
        Assert.Equal(2, samples.Value(MeterCollector.OverflowFamilyName, ("family", "logins_total")));
    }

    [Fact]
    public async Task Zero_lifts_the_cap()
    {
        using var meter = new Meter(_meterName);
        await using var app = await StartAsync("0");
        var logins = meter.CreateCounter<long>("logins");

        for (var i = 0; i < MeterCollectorOptions.DefaultMaxSeriesPerInstrument + 5; i++)
        {
            logins.Add(1, User(i));
        }
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(MeterCollectorOptions.DefaultMaxSeriesPerInstrument + 5, samples.Count(s => s.Name == "logins_total"));
        Assert.DoesNotContain(samples, s => s.Name == MeterCollector.OverflowFamilyName);
    }
}
