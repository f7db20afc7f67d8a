namespace Instrumentation.Tests;

public class SummaryVecTests
{
    private static SummaryVec Vec(params string[] labels) => new(new SummaryOptions
    {
        Name = "rpc_duration_seconds",
        Help = "RPC duration.",
        Objectives = new Dictionary<double, double> { [0.5] = 0.05, [0.99] = 0.001 },
    }, labels);

    private static MetricPoint Scrape(IMetric metric)
    {
        var point = new MetricPoint();
        metric.Write(point);
        return point;
    }

    [Fact]
    public void WithLabels_returns_one_child_per_label_values_with_those_labels()
    {
        var vec = Vec("method", "code");

        var child = vec.WithLabels("GET", "200");
        child.Observe(2);
        vec.WithLabels("GET", "200").Observe(4);
        vec.WithLabels("POST", "500").Observe(8);

        Assert.Same(child, vec.WithLabels("GET", "200"));
        Assert.Equal(2, vec.Count);
        var points = vec.Collect().Select(Scrape).OrderBy(p => p.Sum).ToArray();
        Assert.Equal(["GET", "POST"], points.Select(p => p.Labels.GetValue("method")));
        Assert.Equal([2ul, 1ul], points.Select(p => p.Count));
        Assert.Equal([0.5, 0.99], points[0].Quantiles.Select(q => q.Quantile));
        Assert.Equal(8, points[1].Quantiles[1].Value);
        Assert.Equal(MetricType.Summary, child.Type);
        Assert.Same(vec.Desc, child.Desc);
    }

    [Fact]
    public void Remove_drops_the_child_and_a_new_one_starts_empty()
    {
        var vec = Vec("method");
        vec.WithLabels("GET").Observe(1);

        Assert.True(vec.Remove("GET"));
        Assert.False(vec.Remove("GET"));
        Assert.Empty(vec.Collect());
        Assert.Equal(0ul, vec.WithLabels("GET").Count);
    }

    [Fact]
    public void CurryWith_fixes_a_label_and_shares_the_children()
    {
        var vec = Vec("method", "code");
        var gets = vec.CurryWith(new Dictionary<string, string> { ["method"] = "GET" });

        gets.WithLabels("404").Observe(3);

        Assert.Same(gets.WithLabels("404"), vec.WithLabels("GET", "404"));
        Assert.Equal(3, vec.WithLabels("GET", "404").Sum);
        Assert.Throws<ArgumentException>(() => gets.WithLabels("GET", "404"));
    }

    [Fact]
    public void A_variable_label_named_quantile_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Vec("path", "quantile"));

        Assert.Contains("rpc_duration_seconds", error.Message);
        Assert.Contains("quantile", error.Message);
    }

    [Fact]
    public void Wrong_number_of_label_values_throws_naming_the_metric()
    {
        var vec = Vec("method");

        var error = Assert.Throws<ArgumentException>(() => vec.WithLabels("GET", "200"));

        Assert.Contains("rpc_duration_seconds", error.Message);
    }

    [Fact]
    public void Children_share_the_window_settings()
    {
        var options = new SummaryOptions
        {
            Name = "x",
            Objectives = new Dictionary<double, double> { [0.5] = 0.05 },
            MaxAge = TimeSpan.FromMinutes(1),
            AgeBuckets = 2,
        };
        var vec = new SummaryVec(options, ["a"]);

        vec.WithLabels("1").Observe(5);

        Assert.Equal(5, Scrape(vec.WithLabels("1")).Quantiles[0].Value);
        Assert.True(double.IsNaN(Scrape(vec.WithLabels("2")).Quantiles[0].Value));
    }

    [Fact]
    public void Vec_registers_and_gathers_every_child()
    {
        var registry = new Registry();
        var vec = Vec("method");
        registry.Register(vec);
        vec.WithLabels("GET").Observe(1);
        vec.WithLabels("PUT").Observe(2);

        var family = Assert.Single(registry.Gather());

        Assert.Equal(MetricType.Summary, family.Type);
        Assert.Equal(2, family.Metrics.Count);
    }
}
