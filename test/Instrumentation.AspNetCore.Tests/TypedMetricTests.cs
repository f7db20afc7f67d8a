using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.AspNetCore.Tests;

public sealed class TypedMetricTests
{
    [Fact]
    public void Injected_typed_counter_is_one_instance_registered_once_and_shared()
    {
        using var services = Services.Build();

        var first = services.GetRequiredService<ICounter<RequestsServed>>();
        var second = services.GetRequiredService<ICounter<RequestsServed>>();
        first.Inc();
        second.Inc();

        Assert.Same(first, second);
        Assert.Equal(2, first.Value);
        var samples = services.Scrape();
        Assert.Equal(2, samples.Value("test_requests_served_total"));
        Assert.Single(samples.Named("test_requests_served_total"));
    }

    [Fact]
    public void Typed_counter_from_injection_and_from_the_factory_share_one_metric()
    {
        using var services = Services.Build();

        services.GetRequiredService<ICounter<RequestsServed>>().Inc();
        services.GetRequiredService<IMetricFactory>().GetCounter<RequestsServed>().Inc();

        Assert.Equal(2, services.Scrape().Value("test_requests_served_total"));
    }

    [Fact]
    public void Labelled_definition_counts_per_label_value()
    {
        using var services = Services.Build();
        var jobs = services.GetRequiredService<ICounter<JobsByQueue>>();

        jobs.WithLabels("mail").Inc();
        jobs.WithLabels("mail").Add(2);
        jobs.WithLabels("billing").Inc();

        var samples = services.Scrape();
        Assert.Equal(3, samples.Value("test_jobs_total", ("queue", "mail")));
        Assert.Equal(1, samples.Value("test_jobs_total", ("queue", "billing")));
    }

    [Fact]
    public void Labelled_definition_used_without_labels_throws_naming_the_labels()
    {
        using var services = Services.Build();
        var jobs = services.GetRequiredService<ICounter<JobsByQueue>>();

        var ex = Assert.Throws<InvalidOperationException>(() => jobs.Inc());

        Assert.Contains("test_jobs_total", ex.Message);
        Assert.Contains("queue", ex.Message);
        Assert.Contains("WithLabels", ex.Message);
    }

    [Fact]
    public void WithLabels_with_the_wrong_number_of_values_throws()
    {
        using var services = Services.Build();

        Assert.Throws<ArgumentException>(() => services.GetRequiredService<ICounter<JobsByQueue>>().WithLabels("a", "b"));
        Assert.Throws<ArgumentException>(() => services.GetRequiredService<ICounter<RequestsServed>>().WithLabels("a"));
    }

    [Fact]
    public void Unlabelled_definition_WithLabels_without_values_returns_the_counter()
    {
        using var services = Services.Build();
        var served = services.GetRequiredService<ICounter<RequestsServed>>();

        served.WithLabels().Inc();

        Assert.Equal(1, served.Value);
    }

    [Fact]
    public void Typed_gauge_and_histogram_use_their_definitions()
    {
        using var services = Services.Build();
        var queue = services.GetRequiredService<IGauge<QueueLength>>();
        var payload = services.GetRequiredService<IHistogram<PayloadSize>>();

        queue.Set(5);
        queue.Dec();
        payload.Observe(50);
        payload.Observe(5000);

        var samples = services.Scrape();
        Assert.Equal(4, samples.Value("test_queue_length"));
        Assert.Equal(1, samples.Value("test_payload_bytes_bucket", ("le", "100")));
        Assert.Equal(1, samples.Value("test_payload_bytes_bucket", ("le", "1000")));
        Assert.Equal(2, samples.Value("test_payload_bytes_bucket", ("le", "10000")));
        Assert.Equal(2, samples.Value("test_payload_bytes_count"));
    }

    [Fact]
    public void Two_definitions_with_the_same_name_and_different_help_fail_naming_both()
    {
        using var services = Services.Build();
        services.GetRequiredService<ICounter<DuplicateA>>();

        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ICounter<DuplicateB>>());

        Assert.Contains(typeof(DuplicateB).FullName!, ex.Message);
        Assert.Contains(typeof(DuplicateA).FullName!, ex.Message);
        Assert.Contains("test_duplicate_total", ex.Message);
        Assert.Contains("First meaning.", ex.Message);
        Assert.Contains("Second meaning.", ex.Message);
    }

    [Fact]
    public void Invalid_metric_name_fails_at_first_resolution_naming_the_definition_and_the_rule()
    {
        using var services = Services.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ICounter<BadName>>());

        Assert.Contains(typeof(BadName).FullName!, ex.Message);
        Assert.Contains("\"test-bad-name\" is not a valid metric name", ex.Message);
    }

    [Fact]
    public void A_definition_can_cap_its_series_and_further_label_values_share_the_overflow_series()
    {
        using var services = Services.Build();
        var logins = services.GetRequiredService<ICounter<LoginsByUser>>();

        logins.WithLabels("ann").Inc();
        logins.WithLabels("bob").Inc();
        logins.WithLabels("cid").Inc();
        logins.WithLabels("dee").Inc();

        var users = services.GetRequiredService<Registry>().Gather()
            .Single(f => f.Name == "test_logins_total").Metrics.Select(m => m.Labels.GetValue("user"));
        Assert.Equal(["__overflow__", "ann", "bob"], users);
        Assert.Equal(2, logins.WithLabels(CounterVec.OverflowLabelValue).Value);
    }

    [Fact]
    public void A_histogram_definition_can_ask_for_native_buckets()
    {
        using var services = Services.Build();
        services.GetRequiredService<IHistogram<LookupLatency>>().Observe(0.25);

        var point = services.GetRequiredService<Registry>().Gather()
            .Single(f => f.Name == "test_lookup_duration_seconds").Metrics.Single();
        Assert.Equal(3, point.NativeSchema);
        Assert.Equal(1UL, point.PositiveBuckets.Single().Count);
    }

    [Fact]
    public void An_invalid_expiry_fails_at_first_resolution_naming_the_definition()
    {
        using var services = Services.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ICounter<NeverExpiring>>());

        Assert.Contains(typeof(NeverExpiring).FullName!, ex.Message);
        Assert.Contains("ExpireAfter", ex.Message);
    }

    [Fact]
    public void Empty_help_fails_naming_the_definition()
    {
        using var services = Services.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IGauge<NoHelp>>());

        Assert.Contains(typeof(NoHelp).FullName!, ex.Message);
        Assert.Contains("Help is empty", ex.Message);
    }

    [Fact]
    public void Duplicate_label_name_fails_naming_the_definition()
    {
        using var services = Services.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ICounter<DuplicateLabel>>());

        Assert.Contains(typeof(DuplicateLabel).FullName!, ex.Message);
        Assert.Contains("\"a\" is declared twice", ex.Message);
    }

    [Fact]
    public void Unordered_buckets_fail_naming_the_definition()
    {
        using var services = Services.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IHistogram<BadBuckets>>());

        Assert.Contains(typeof(BadBuckets).FullName!, ex.Message);
        Assert.Contains("strictly increasing", ex.Message);
    }

    [Fact]
    public void Namespace_from_configuration_prefixes_typed_metrics()
    {
        using var services = Services.Build(new Dictionary<string, string?> { ["Metrics:Namespace"] = "shop" });

        services.GetRequiredService<ICounter<RequestsServed>>().Inc();

        Assert.Equal(1, services.Scrape().Value("shop_test_requests_served_total"));
    }
}
