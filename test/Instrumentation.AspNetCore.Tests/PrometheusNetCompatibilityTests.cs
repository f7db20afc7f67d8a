using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.AspNetCore.Tests;

/// <summary>
/// <see cref="HttpMetricsLabelScheme.PrometheusNet"/> against the real thing: the same traffic through an app
/// instrumented by prometheus-net 8.2.1's <c>UseHttpMetrics</c> and one instrumented by ours must give the same
/// families, types, label names and label values, so dashboards written for prometheus-net keep working.
/// </summary>
public sealed class PrometheusNetCompatibilityTests
{
    private static readonly string[] Traffic = ["/orders/1", "/orders/2", "/compat/products/7", "/nothing/here"];

    [Fact]
    public async Task PrometheusNet_label_scheme_gives_the_families_types_and_labels_of_prometheus_net()
    {
        var theirs = await RunPrometheusNetAppAsync();
        var ours = await RunOurAppAsync();

        var theirFamilies = Families(theirs);
        var ourFamilies = Families(ours);
        string[] httpFamilies = ["http_request_duration_seconds", "http_requests_in_progress", "http_requests_received_total"];
        Assert.Equal(httpFamilies, theirFamilies.Keys.Where(k => k.StartsWith("http_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        foreach (var name in httpFamilies)
        {
            Assert.Equal(theirFamilies[name].Type, ourFamilies[name].Type);
            Assert.Equal(theirFamilies[name].LabelNames, ourFamilies[name].LabelNames);
        }

        // The label values of every request series, minimal API, controller and unmatched alike.
        Assert.Equal(SeriesOf(theirs, "http_requests_received_total"), SeriesOf(ours, "http_requests_received_total"));
        Assert.Equal(SeriesOf(theirs, "http_request_duration_seconds_count"), SeriesOf(ours, "http_request_duration_seconds_count"));
        Assert.Equal(SeriesOf(theirs, "http_requests_in_progress"), SeriesOf(ours, "http_requests_in_progress"));
        // Same buckets, so an alert on a bucket bound keeps its meaning.
        Assert.Equal(BucketBounds(theirs), BucketBounds(ours));
    }

    [Fact]
    public async Task PrometheusNet_label_scheme_labels_controllers_by_controller_and_action()
    {
        var text = await RunOurAppAsync();
        var samples = Exposition.Parse(text);

        var controller = Assert.Single(samples, s => s.Name == "http_requests_received_total" && s.Labels["controller"] == "CompatProducts");
        Assert.Equal("Get", controller.Labels["action"]);
        Assert.Equal("compat/products/{id}", controller.Labels["endpoint"]);
        var minimal = Assert.Single(samples, s => s.Name == "http_requests_received_total" && s.Labels["endpoint"] == "/orders/{id}");
        Assert.Equal("", minimal.Labels["controller"]);
        Assert.Equal(2, minimal.Value);
        Assert.False(samples.Any(s => s.Labels.ContainsKey("route")), "the route label is not part of prometheus-net's scheme");
    }

    [Fact]
    public async Task An_additional_label_named_like_a_scheme_label_is_refused_with_its_name()
    {
        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry(),
            app => app.UseHttpMetrics(o =>
            {
                o.LabelScheme = HttpMetricsLabelScheme.PrometheusNet;
                o.AddRouteValueLabel("controller");
            })));
        Assert.Contains("\"controller\"", error.Message);
    }

    private static async Task<string> RunOurAppAsync()
    {
        await using var app = await TestApp.StartAsync(
            b =>
            {
                b.Services.AddMetricsRegistry();
                b.Services.AddControllers().AddApplicationPart(typeof(CompatProductsController).Assembly);
            },
            app =>
            {
                app.UseHttpMetrics(o => o.LabelScheme = HttpMetricsLabelScheme.PrometheusNet);
                MapEndpoints(app);
                app.MapMetrics();
            },
            new Dictionary<string, string?> { ["Metrics:Collectors:Process"] = "false", ["Metrics:Collectors:Runtime"] = "false" });
        await SendTrafficAsync(app.Client);
        return await app.ScrapeAsync();
    }

    private static async Task<string> RunPrometheusNetAppAsync()
    {
        var registry = Prometheus.Metrics.NewCustomRegistry();
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.WebHost.UseTestServer();
        builder.Services.AddControllers().AddApplicationPart(typeof(CompatProductsController).Assembly);
        await using var app = builder.Build();
        app.UseRouting();
        Prometheus.HttpMetricsMiddlewareExtensions.UseHttpMetrics(app, o => o.SetMetricFactory(Prometheus.Metrics.WithCustomRegistry(registry)));
        MapEndpoints(app);
        await app.StartAsync();
        using (var client = app.GetTestClient())
        {
            await SendTrafficAsync(client);
        }
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/orders/{id}", (int id) => Results.Ok(id));
        app.MapControllers();
    }

    private static async Task SendTrafficAsync(HttpClient client)
    {
        foreach (var path in Traffic)
        {
            using var response = await client.GetAsync(path);
        }
    }

    /// <summary>Each family's type and the label names its samples carry (<c>le</c> aside), from the text exposition.</summary>
    private static Dictionary<string, (string Type, string[] LabelNames)> Families(string text)
    {
        var types = text.Split('\n')
            .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .ToDictionary(p => p[2], p => p[3], StringComparer.Ordinal);
        var samples = Exposition.Parse(text);
        return types.ToDictionary(
            t => t.Key,
            t => (t.Value, samples
                .Where(s => s.Name == t.Key || (t.Value == "histogram" && s.Name.StartsWith(t.Key + "_", StringComparison.Ordinal)))
                .SelectMany(s => s.Labels.Keys)
                .Where(n => n != "le")
                .Distinct()
                .Order(StringComparer.Ordinal)
                .ToArray()),
            StringComparer.Ordinal);
    }

    private static string[] SeriesOf(string text, string sampleName) =>
        Exposition.Parse(text)
            .Where(s => s.Name == sampleName)
            .Select(s => string.Join(",", s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + " " + s.Value)
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static string[] BucketBounds(string text) =>
        Exposition.Parse(text)
            .Where(s => s.Name == "http_request_duration_seconds_bucket")
            .Select(s => s.Labels["le"])
            .Distinct()
            .ToArray();
}

/// <summary>An attribute-routed controller for <see cref="PrometheusNetCompatibilityTests"/>.</summary>
[ApiController]
[Route("compat/products")]
public sealed class CompatProductsController : ControllerBase
{
    /// <summary>Returns the id.</summary>
    [HttpGet("{id}")]
    public IActionResult Get(int id) => Ok(id);
}
