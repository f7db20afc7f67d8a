using Microsoft.AspNetCore.Mvc.Testing;

namespace Instrumentation.AspNetCore.Tests;

/// <summary>The QuickStart example, started by WebApplicationFactory with its own appsettings.json.</summary>
public sealed class QuickStartTests : IDisposable
{
    private readonly WebApplicationFactory<Program> _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Typed_counters_in_a_controller_and_a_minimal_api_handler_count_requests_and_metrics_shows_them()
    {
        var client = _factory.CreateClient();

        (await client.PostAsync("/checkout?channel=web", null)).EnsureSuccessStatusCode();
        (await client.PostAsync("/checkout?channel=web", null)).EnsureSuccessStatusCode();
        (await client.PostAsync("/checkout?channel=app", null)).EnsureSuccessStatusCode();
        (await client.GetAsync("/orders/7")).EnsureSuccessStatusCode();

        var samples = Exposition.Parse(await client.GetStringAsync("/metrics"));
        Assert.Equal(2, samples.Value("shop_orders_placed_total", ("channel", "web")));
        Assert.Equal(1, samples.Value("shop_orders_placed_total", ("channel", "app")));
        Assert.Equal(1, samples.Value("shop_order_lookups_total"));
        Assert.Equal(3, samples.Value("shop_order_value_euros_count"));
    }

    [Fact]
    public async Task Const_labels_from_appsettings_json_appear_on_every_series()
    {
        var client = _factory.CreateClient();
        (await client.GetAsync("/orders/1")).EnsureSuccessStatusCode();

        var samples = Exposition.Parse(await client.GetStringAsync("/metrics"));

        Assert.NotEmpty(samples);
        Assert.All(samples, s => Assert.True(s.Has(("app", "quickstart"), ("env", "dev")), $"{s.Name} lacks the const labels"));
    }

    [Fact]
    public async Task Http_metrics_label_requests_with_the_route_template_not_the_path()
    {
        var client = _factory.CreateClient();
        foreach (var id in new[] { 1, 2, 3 })
        {
            (await client.GetAsync($"/orders/{id}")).EnsureSuccessStatusCode();
        }

        var samples = Exposition.Parse(await client.GetStringAsync("/metrics"));

        var series = samples.Named("http_requests_received_total").Where(s => s.Has(("method", "GET"), ("code", "200"))).ToList();
        var single = Assert.Single(series, s => s.Labels["route"].StartsWith("/orders", StringComparison.Ordinal));
        Assert.Equal("/orders/{id}", single.Labels["route"]);
        Assert.Equal(3, single.Value);
        Assert.Equal(3, samples.Value("http_request_duration_seconds_count", ("route", "/orders/{id}")));
        Assert.DoesNotContain(samples, s => s.Labels.TryGetValue("route", out var r) && r.StartsWith("/orders/1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_flood_of_user_ids_is_capped_at_1000_series_and_the_rest_is_counted_as_dropped()
    {
        var client = _factory.CreateClient();
        for (var i = 0; i < 1_004; i++)
        {
            (await client.GetAsync($"/users/u{i}/visits")).EnsureSuccessStatusCode();
        }

        var samples = Exposition.Parse(await client.GetStringAsync("/metrics"));

        var visits = samples.Named("shop_user_visits_total").ToList();
        Assert.Equal(1_001, visits.Count);
        Assert.Equal(4, samples.Value("shop_user_visits_total", ("user", "__overflow__")));
        Assert.Equal(4, samples.Value("metrics_series_dropped_total", ("metric", "shop_user_visits_total")));
    }

    [Fact]
    public async Task A_collector_building_its_descriptors_in_Collect_is_exposed_with_the_const_labels()
    {
        var client = _factory.CreateClient();

        var samples = Exposition.Parse(await client.GetStringAsync("/metrics"));

        Assert.Equal(4, samples.Named("quickstart_queue_depth").Count(s => s.Has(("app", "quickstart"))));
        Assert.Equal(4, samples.Value("quickstart_queue_depth", ("queue", "mail")));
    }

    [Fact]
    public async Task The_soak_endpoint_is_not_mapped_unless_asked_for()
    {
        var client = _factory.CreateClient();

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/soak/memory")).StatusCode);
    }

    [Fact]
    public async Task A_collector_added_with_AddCollector_is_registered_when_the_app_starts()
    {
        var client = _factory.CreateClient();

        var samples = Exposition.Parse(await client.GetStringAsync("/metrics"));

        Assert.Equal(120, samples.Value("quickstart_items_in_stock", ("warehouse", "north")));
    }

    [Fact]
    public async Task Metrics_created_by_the_factory_get_the_configured_namespace()
    {
        var client = _factory.CreateClient();
        (await client.PostAsync("/jobs/mail", null)).EnsureSuccessStatusCode();
        (await client.PostAsync("/jobs/mail", null)).EnsureSuccessStatusCode();

        var samples = Exposition.Parse(await client.GetStringAsync("/metrics"));

        Assert.Equal(2, samples.Value("shop_jobs_enqueued_total", ("queue", "mail")));
    }
}
