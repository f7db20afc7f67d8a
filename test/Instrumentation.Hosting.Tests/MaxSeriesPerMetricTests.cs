using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Instrumentation.Hosting.Tests;

public sealed class VisitsByUser : ICounterDefinition
{
    public static string Name => "visits_by_user_total";
    public static string Help => "Visits, by user.";
    public static IReadOnlyList<string> LabelNames => ["user"];
}

public sealed class VisitsByUserCappedAtFive : ICounterDefinition
{
    public static string Name => "visits_capped_total";
    public static string Help => "Visits, by user, at most five.";
    public static IReadOnlyList<string> LabelNames => ["user"];
    public static int? MaxSeries => 5;
}

/// <summary><c>Metrics:MaxSeriesPerMetric</c>: the default cap of labelled families made through dependency injection.</summary>
public sealed class MaxSeriesPerMetricTests
{
    private static ServiceProvider Provider(string? maxSeriesPerMetric)
    {
        var settings = new Dictionary<string, string?> { ["Metrics:Collectors:Process"] = "false", ["Metrics:Collectors:Runtime"] = "false" };
        if (maxSeriesPerMetric is not null)
        {
            settings["Metrics:MaxSeriesPerMetric"] = maxSeriesPerMetric;
        }
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddMetricsRegistry();
        return services.BuildServiceProvider(validateScopes: true);
    }

    [Fact]
    public void Factory_families_are_capped_at_10000_series_by_default_and_the_rest_is_counted()
    {
        using var provider = Provider(maxSeriesPerMetric: null);
        Assert.Equal(10_000, provider.GetRequiredService<IOptions<MetricsOptions>>().Value.MaxSeriesPerMetric);
        var vec = provider.GetRequiredService<IMetricFactory>().CreateCounterVec(new CounterOptions { Name = "per_user_total", Help = "H." }, ["user"]);

        for (var i = 0; i < 10_003; i++)
        {
            vec.WithLabels("u" + i).Inc();
        }

        Assert.Equal(10_000, vec.Count);
        Assert.Equal(3, vec.DroppedSeries);
        var dropped = provider.GetRequiredService<Registry>().Gather().Single(f => f.Name == "metrics_series_dropped_total");
        Assert.Equal(3, dropped.Metrics.Single(p => p.Labels.GetValue("metric") == "per_user_total").Value);
    }

    [Fact]
    public void The_configured_cap_applies_to_typed_definitions_without_their_own_and_theirs_wins()
    {
        using var provider = Provider("3");
        var visits = provider.GetRequiredService<ICounter<VisitsByUser>>();
        var capped = provider.GetRequiredService<ICounter<VisitsByUserCappedAtFive>>();
        for (var i = 0; i < 8; i++)
        {
            visits.WithLabels("u" + i).Inc();
            capped.WithLabels("u" + i).Inc();
        }

        var families = provider.GetRequiredService<Registry>().Gather();
        // 3 series and the overflow series holding the other 5 visits; the definition's own cap of 5 keeps 5 + overflow.
        Assert.Equal(4, families.Single(f => f.Name == "visits_by_user_total").Metrics.Count);
        Assert.Equal(5, families.Single(f => f.Name == "visits_by_user_total").Metrics.Single(p => p.Labels.GetValue("user") == "__overflow__").Value);
        Assert.Equal(6, families.Single(f => f.Name == "visits_capped_total").Metrics.Count);
    }

    [Fact]
    public void Zero_means_no_limit()
    {
        using var provider = Provider("0");
        var vec = provider.GetRequiredService<IMetricFactory>().CreateGaugeVec(new GaugeOptions { Name = "per_user", Help = "H." }, ["user"]);
        for (var i = 0; i < 10_050; i++)
        {
            vec.WithLabels("u" + i).Set(i);
        }
        Assert.Equal(10_050, vec.Count);
        Assert.Equal(0, vec.DroppedSeries);
    }

    [Fact]
    public void A_negative_cap_fails_naming_the_key()
    {
        using var provider = Provider("-1");
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IMetricFactory>());
        Assert.Contains("Metrics:MaxSeriesPerMetric", ex.Message);
    }

    [Fact]
    public void A_family_made_with_new_keeps_the_library_default_of_no_limit()
    {
        using var provider = Provider("3");
        var vec = new CounterVec(new CounterOptions { Name = "direct_total", Help = "H." }, ["user"]);
        provider.GetRequiredService<IRegisterer>().Register(vec);
        for (var i = 0; i < 10; i++)
        {
            vec.WithLabels("u" + i).Inc();
        }
        Assert.Equal(10, vec.Count);
    }

    [Fact]
    public void The_callers_options_are_not_changed_and_unlabelled_metrics_are_not_affected()
    {
        using var provider = Provider("3");
        var factory = provider.GetRequiredService<IMetricFactory>();
        var options = new CounterOptions { Name = "mine_total", Help = "H." };
        factory.CreateCounterVec(options, ["k"]);
        factory.CreateCounter(new CounterOptions { Name = "plain_total", Help = "H." }).Inc();
        Assert.Null(options.MaxSeries);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MetricFactory(new Registry()) { DefaultMaxSeries = 0 });
    }
}
