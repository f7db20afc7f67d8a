using System.IO.Compression;
using System.Net;
using Instrumentation.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.AspNetCore.Tests;

public sealed class MetricsEndpointTests
{
    private static Task<TestApp> StartAsync(Action<MetricsEndpointOptions>? endpoint = null, Action<IMetricsBuilder>? metrics = null) =>
        TestApp.StartAsync(
            b =>
            {
                var builder = b.Services.AddMetricsRegistry();
                metrics?.Invoke(builder);
            },
            app => app.MapMetrics("/metrics", endpoint));

    [Fact]
    public async Task MapMetrics_without_AddMetricsRegistry_throws_saying_what_to_add()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.MapMetrics());

        Assert.Contains("AddMetricsRegistry", ex.Message);
    }

    [Fact]
    public async Task UseHttpMetrics_without_AddMetricsRegistry_throws_saying_what_to_add()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        await using var app = builder.Build();

        var ex = Assert.Throws<InvalidOperationException>(() => app.UseHttpMetrics());

        Assert.Contains("AddMetricsRegistry", ex.Message);
    }

    [Fact]
    public async Task Invalid_endpoint_options_fail_when_the_endpoint_is_mapped()
    {
        var ex = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => StartAsync(o => o.MaxConcurrentScrapes = -1));

        Assert.Contains("MaxConcurrentScrapes", ex.Message);
    }

    [Fact]
    public async Task Get_serves_the_registry_in_the_text_format()
    {
        await using var app = await StartAsync();
        app.Services.GetRequiredService<ICounter<RequestsServed>>().Add(3);

        var response = await app.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(3, Exposition.Parse(await response.Content.ReadAsStringAsync()).Value("test_requests_served_total"));
    }

    [Fact]
    public async Task Head_answers_with_the_headers_and_no_body()
    {
        await using var app = await StartAsync();

        var response = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.True(response.Content.Headers.ContentLength > 0);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_is_refused_with_405()
    {
        await using var app = await StartAsync();

        var response = await app.Client.PostAsync("/metrics", null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task RequireAuthorization_keeps_an_anonymous_scraper_out_and_lets_an_authenticated_one_in()
    {
        await using var app = await TestApp.StartAsync(
            b =>
            {
                b.Services.AddMetricsRegistry();
                b.Services.AddAuthentication(TestAuthHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
                b.Services.AddAuthorization();
            },
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapMetrics().RequireAuthorization();
            });

        var anonymous = await app.Client.GetAsync("/metrics");
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Authorization", "Test scraper");
        var authenticated = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authenticated.StatusCode);
        Assert.Contains("metrics_handler_requests_total", await authenticated.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_throwing_collector_under_ContinueOnError_gives_200_with_the_rest()
    {
        await using var app = await StartAsync(
            o => o.ErrorHandling = MetricsErrorHandling.ContinueOnError,
            m => m.AddCollector<ThrowingCollector>());
        app.Services.GetRequiredService<ICounter<RequestsServed>>().Inc();

        var response = await app.Client.GetAsync("/metrics");
        var samples = Exposition.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, samples.Value("test_requests_served_total"));
        Assert.DoesNotContain(samples, s => s.Name == "test_broken");
        // The first scrape's problem is counted after it gathered: the next scrape shows it.
        Assert.Equal(1, Exposition.Parse(await app.ScrapeAsync()).Value("metrics_handler_errors_total", ("cause", "gathering")));
    }

    [Fact]
    public async Task A_throwing_collector_under_FailOnError_gives_500_with_the_error()
    {
        await using var app = await StartAsync(
            o => o.ErrorHandling = MetricsErrorHandling.FailOnError,
            m => m.AddCollector<ThrowingCollector>());

        var response = await app.Client.GetAsync("/metrics");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("the backing store is unreachable", body);
        Assert.Contains("ThrowingCollector", body);
    }

    [Fact]
    public async Task Scrapes_beyond_MaxConcurrentScrapes_get_503()
    {
        var blocking = new BlockingCollector();
        await using var app = await StartAsync(o => o.MaxConcurrentScrapes = 1, m => m.AddCollector(blocking));

        var held = app.Client.GetAsync("/metrics");
        await blocking.WaitUntilEnteredAsync();
        var refused = await app.Client.GetAsync("/metrics");
        blocking.Release();
        var served = await held;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("Too many concurrent scrapes", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);

        // The slot is free again, and the refusal was counted.
        blocking.Release();
        var samples = Exposition.Parse(await app.ScrapeAsync());
        Assert.Equal(1, samples.Value("metrics_handler_requests_total", ("code", "503")));
    }

    [Fact]
    public async Task A_scrape_slower_than_ScrapeTimeout_gets_503_and_keeps_its_slot_until_the_gather_returns()
    {
        var blocking = new BlockingCollector();
        await using var app = await StartAsync(o =>
        {
            o.ScrapeTimeout = TimeSpan.FromMilliseconds(100);
            o.MaxConcurrentScrapes = 1;
        }, m => m.AddCollector(blocking));

        var timedOut = await app.Client.GetAsync("/metrics");
        var whileAbandonedRuns = await app.Client.GetAsync("/metrics");
        blocking.Release();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, timedOut.StatusCode);
        Assert.Contains("scrape timeout", await timedOut.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, whileAbandonedRuns.StatusCode);
        Assert.Contains("Too many concurrent scrapes", await whileAbandonedRuns.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Many_concurrent_scrapes_of_a_hung_collector_run_one_gather_and_all_get_503()
    {
        var blocking = new BlockingCollector();
        var timeout = TimeSpan.FromMilliseconds(200);
        await using var app = await StartAsync(o => o.ScrapeTimeout = timeout, m => m.AddCollector(blocking));

        var scrapes = Enumerable.Range(0, 24).Select(async _ =>
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var response = await app.Client.GetAsync("/metrics");
            return (response.StatusCode, Elapsed: System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }).ToArray();
        var answers = await Task.WhenAll(scrapes);
        var gathersWhileHung = blocking.Calls;
        blocking.Release();

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.ServiceUnavailable, a.StatusCode));
        // Generous bound: each 503 comes at its own deadline, not after the other scrapes' gathers.
        Assert.All(answers, a => Assert.True(a.Elapsed < timeout + TimeSpan.FromSeconds(2), $"a 503 took {a.Elapsed}"));
        Assert.Equal(1, gathersWhileHung);
    }

    [Fact]
    public async Task Concurrent_scrapes_of_a_slow_collector_share_one_gather()
    {
        var blocking = new BlockingCollector();
        var waiting = 0;
        await using var app = await TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry().AddCollector(blocking),
            app =>
            {
                app.Use(async (context, next) =>
                {
                    // The endpoint runs synchronously until it waits for a gather: once next() returns, the scrape has
                    // started or joined one.
                    var scrape = next(context);
                    Interlocked.Increment(ref waiting);
                    await scrape;
                });
                app.MapMetrics();
            });

        var scrapes = Enumerable.Range(0, 8).Select(_ => app.Client.GetAsync("/metrics")).ToArray();
        await blocking.WaitUntilEnteredAsync();
        while (Volatile.Read(ref waiting) < 8)
        {
            await Task.Delay(10);
        }
        blocking.Release();
        var responses = await Task.WhenAll(scrapes);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, blocking.Calls);
    }

    [Fact]
    public async Task Name_query_parameters_limit_the_scrape_to_the_named_families()
    {
        await using var app = await StartAsync();
        app.Services.GetRequiredService<ICounter<RequestsServed>>().Inc();
        app.Services.GetRequiredService<IHistogram<PayloadSize>>().Observe(10);

        var body = await app.ScrapeAsync("/metrics?name[]=test_requests_served_total&name[]=metrics_handler_requests_in_flight");
        var names = Exposition.Parse(body).Select(s => s.Name).Distinct().Order().ToArray();

        Assert.Equal(["metrics_handler_requests_in_flight", "test_requests_served_total"], names);
    }

    [Fact]
    public async Task Process_start_time_header_is_sent_when_configured()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_765_000_000);
        await using var app = await StartAsync(o => o.ProcessStartTime = start);

        var response = await app.Client.GetAsync("/metrics");

        Assert.Equal("1765000000", Assert.Single(response.Headers.GetValues("Process-Start-Time-Unix")));
    }

    [Fact]
    public async Task Metrics_OpenMetricsCreatedSamples_configuration_turns_created_samples_on_for_the_endpoint()
    {
        await using var app = await TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry(),
            app => app.MapMetrics(),
            new Dictionary<string, string?> { ["Metrics:OpenMetricsCreatedSamples"] = "true" });
        app.Services.GetRequiredService<ICounter<RequestsServed>>().Inc();
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0");

        var body = await (await app.Client.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("test_requests_served_created", body);
    }

    [Fact]
    public async Task The_endpoint_counts_its_own_scrapes()
    {
        await using var app = await StartAsync();

        await app.ScrapeAsync();
        await app.ScrapeAsync();
        var samples = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(2, samples.Value("metrics_handler_requests_total", ("code", "200")));
        Assert.Equal(1, samples.Value("metrics_handler_requests_in_flight"));
    }

    [Fact]
    public async Task Scrapes_reusing_pooled_buffers_show_changes_and_new_families()
    {
        await using var app = await StartAsync();
        var served = app.Services.GetRequiredService<ICounter<RequestsServed>>();
        served.Inc();
        var first = Exposition.Parse(await app.ScrapeAsync());

        served.Add(4);
        app.Services.GetRequiredService<IHistogram<PayloadSize>>().Observe(500);
        var second = Exposition.Parse(await app.ScrapeAsync());

        Assert.Equal(1, first.Value("test_requests_served_total"));
        Assert.DoesNotContain(first, s => s.Name.StartsWith("test_payload", StringComparison.Ordinal));
        Assert.Equal(5, second.Value("test_requests_served_total"));
        Assert.Equal(1, second.Value("test_payload_bytes_bucket", ("le", "1000")));
    }

    [Fact]
    public async Task Concurrent_scrapes_all_succeed_with_the_same_metrics()
    {
        await using var app = await StartAsync();
        app.Services.GetRequiredService<ICounter<JobsByQueue>>().WithLabels("mail").Add(3);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => app.ScrapeAsync()));

        Assert.All(bodies, body => Assert.Equal(3, Exposition.Parse(body).Value("test_jobs_total", ("queue", "mail"))));
    }

    [Fact]
    public async Task Response_is_gzipped_when_the_scraper_accepts_gzip()
    {
        await using var app = await StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");

        var response = await app.Client.SendAsync(request);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        var text = await new StreamReader(gzip).ReadToEndAsync();
        Assert.Contains("# TYPE metrics_handler_requests_total counter", text);
    }

    [Fact]
    public async Task Response_is_not_gzipped_when_compression_is_off()
    {
        await using var app = await StartAsync(o => o.EnableCompression = false);
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");

        var response = await app.Client.SendAsync(request);

        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Contains("# TYPE metrics_handler_requests_total counter", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MapMetrics_returns_a_convention_builder_that_takes_a_name_and_a_custom_pattern()
    {
        await using var app = await TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry(),
            app => app.MapMetrics("/internal/prometheus").WithName("prometheus"));

        var response = await app.Client.GetAsync("/internal/prometheus");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task RequireHost_serves_metrics_on_the_management_port_only()
    {
        await using var app = await TestApp.StartAsync(
            b => b.Services.AddMetricsRegistry(),
            app => app.MapMetrics().RequireHost("*:9102"));

        var onAppPort = await app.Client.GetAsync("http://localhost/metrics");
        var onManagementPort = await app.Client.GetAsync("http://localhost:9102/metrics");

        Assert.Equal(HttpStatusCode.NotFound, onAppPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onManagementPort.StatusCode);
    }

    [Fact]
    public async Task Collectors_registered_in_DI_as_ICollector_are_registered_at_start()
    {
        var gauge = new Gauge(new GaugeOptions { Name = "test_plain_gauge", Help = "A gauge from DI." });
        gauge.Set(7);
        await using var app = await TestApp.StartAsync(
            b =>
            {
                b.Services.AddMetricsRegistry();
                b.Services.AddSingleton<ICollector>(gauge);
            },
            app => app.MapMetrics());

        Assert.Equal(7, Exposition.Parse(await app.ScrapeAsync()).Value("test_plain_gauge"));
    }
}
