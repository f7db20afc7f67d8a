using Instrumentation.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Instrumentation.AspNetCore.Tests;

/// <summary><c>Metrics:NameValidation</c>: the scheme of the DI-created registry.</summary>
public sealed class NameValidationConfigurationTests
{
    private const string Utf8TextAccept = "text/plain;version=1.0.0;escaping=allow-utf-8";

    private static Task<TestApp> StartAsync(IDictionary<string, string?> configuration)
    {
        configuration["Metrics:Collectors:Process"] = "false";
        configuration["Metrics:Collectors:Runtime"] = "false";
        return TestApp.StartAsync(b => b.Services.AddMetricsRegistry(), app => app.MapMetrics(), configuration);
    }

    private static async Task<string> ScrapeAsync(TestApp app, string? accept)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        var response = await app.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Scrape returned {(int)response.StatusCode}: {body}");
        return body;
    }

    [Fact]
    public void Name_validation_defaults_to_legacy()
    {
        using var services = Services.Build();

        Assert.Equal(NameValidationScheme.Legacy, services.GetRequiredService<IOptions<MetricsOptions>>().Value.NameValidation);
        Assert.Equal(NameValidationScheme.Legacy, services.GetRequiredService<Registry>().NameValidation);
    }

    [Theory]
    [InlineData("Utf8", NameValidationScheme.Utf8)]
    [InlineData("utf8", NameValidationScheme.Utf8)]
    [InlineData("Legacy", NameValidationScheme.Legacy)]
    public void Name_validation_is_bound_from_configuration_and_given_to_the_registry(string value, NameValidationScheme expected)
    {
        using var services = Services.Build(new Dictionary<string, string?> { ["Metrics:NameValidation"] = value });

        Assert.Equal(expected, services.GetRequiredService<IOptions<MetricsOptions>>().Value.NameValidation);
        Assert.Equal(expected, services.GetRequiredService<Registry>().NameValidation);
    }

    [Fact]
    public async Task An_unknown_scheme_stops_start_up_naming_the_key()
    {
        // The configuration binder cannot convert the text: it names the key and the type.
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StartAsync(new Dictionary<string, string?> { ["Metrics:NameValidation"] = "Unicode" }));

        Assert.Contains("Metrics:NameValidation", ex.Message);
    }

    [Fact]
    public async Task A_number_that_is_no_scheme_stops_start_up_naming_the_key()
    {
        // A number converts to the enum whatever its value; the validator rejects the ones that name no scheme.
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(new Dictionary<string, string?> { ["Metrics:NameValidation"] = "7" }));

        Assert.Contains("Metrics:NameValidation", ex.Message);
        Assert.Contains("Legacy or Utf8", ex.Message);
    }

    [Fact]
    public async Task Utf8_names_register_and_are_quoted_for_a_scraper_that_allows_them_and_escaped_for_others()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["Metrics:NameValidation"] = "Utf8" });
        var factory = app.Services.GetRequiredService<IMetricFactory>();
        factory.CreateGauge(new GaugeOptions { Name = "http.server.duration", Help = "A dotted name." }).Set(1.5);

        var quoted = await ScrapeAsync(app, Utf8TextAccept);
        var escaped = await ScrapeAsync(app, accept: null);

        Assert.Contains("# TYPE \"http.server.duration\" gauge\n{\"http.server.duration\"} 1.5\n", quoted);
        Assert.Contains("# TYPE http_server_duration gauge\nhttp_server_duration 1.5\n", escaped);
    }

    [Fact]
    public async Task Legacy_names_reject_a_dotted_metric_name()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>());
        var factory = app.Services.GetRequiredService<IMetricFactory>();

        var ex = Assert.ThrowsAny<ArgumentException>(() => factory.CreateGauge(new GaugeOptions { Name = "http.server.duration", Help = "A dotted name." }));

        Assert.Contains("http.server.duration", ex.Message);
    }

    [Fact]
    public async Task Utf8_names_accept_a_dotted_const_label_that_legacy_names_reject()
    {
        var rejected = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            StartAsync(new Dictionary<string, string?> { ["Metrics:ConstLabels:service.name"] = "shop" }));
        Assert.Contains("Metrics:ConstLabels:service.name", rejected.Message);

        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["Metrics:NameValidation"] = "Utf8",
            ["Metrics:ConstLabels:service.name"] = "shop",
        });
        app.Services.GetRequiredService<IMetricFactory>().CreateGauge(new GaugeOptions { Name = "up_like", Help = "x" }).Set(1);

        Assert.Contains("up_like{\"service.name\"=\"shop\"} 1\n", await ScrapeAsync(app, Utf8TextAccept));
    }
}
