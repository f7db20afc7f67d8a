using System.Diagnostics;
using Instrumentation.Scraping;

namespace Instrumentation.Tests.Scraping;

public sealed class ScrapeHandlerTests
{
    private const string OpenMetricsAccept = "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5";

    private static ScrapeRequest Get(string? query = null, string? accept = null, string? acceptEncoding = null) => new("GET", accept, acceptEncoding, query);

    private static async Task<RecordingResponse> ScrapeAsync(ScrapeHandler handler, ScrapeRequest? request = null)
    {
        var response = new RecordingResponse();
        await handler.HandleAsync(request ?? Get(), response);
        return response;
    }

    private static Registry RegistryWith(out Counter counter)
    {
        var registry = new Registry();
        counter = new Counter(new CounterOptions { Name = "test_events_total", Help = "Events." });
        registry.MustRegister(counter);
        return registry;
    }

    [Fact]
    public async Task Get_serves_the_text_format_with_a_content_length()
    {
        var registry = RegistryWith(out var counter);
        counter.Add(3);
        var handler = new ScrapeHandler(registry);

        var response = await ScrapeAsync(handler);

        Assert.Equal(200, response.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", response.ContentType);
        Assert.Equal(response.Body!.Length, response.ContentLength);
        Assert.Contains("test_events_total 3", response.Text);
        Assert.Equal("Accept, Accept-Encoding", response.Headers["Vary"]);
    }

    [Fact]
    public async Task Head_sets_the_headers_and_the_length_but_writes_no_body()
    {
        var handler = new ScrapeHandler(RegistryWith(out _));

        var response = await ScrapeAsync(handler, new ScrapeRequest("HEAD"));

        Assert.Equal(200, response.StatusCode);
        Assert.True(response.ContentLength > 0);
        Assert.Null(response.Body);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task Other_methods_get_405_naming_the_allowed_ones(string method)
    {
        var handler = new ScrapeHandler(RegistryWith(out _));

        var response = await ScrapeAsync(handler, new ScrapeRequest(method));

        Assert.Equal(405, response.StatusCode);
        Assert.Equal("GET, HEAD", response.Headers["Allow"]);
    }

    [Fact]
    public async Task Gzip_is_used_when_accepted_and_the_length_is_the_compressed_one()
    {
        var registry = RegistryWith(out var counter);
        counter.Inc();
        var handler = new ScrapeHandler(registry);

        var response = await ScrapeAsync(handler, Get(acceptEncoding: "gzip, deflate"));

        Assert.Equal("gzip", response.Headers["Content-Encoding"]);
        Assert.Equal(response.Body!.Length, response.ContentLength);
        Assert.Contains("test_events_total 1", response.Text);
    }

    [Fact]
    public void Invalid_options_throw_naming_the_property()
    {
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => new ScrapeHandler(new Registry(), new ScrapeHandlerOptions { MaxConcurrentScrapes = -1 }));
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => new ScrapeHandler(new Registry(), new ScrapeHandlerOptions { ScrapeTimeout = TimeSpan.Zero }));

        Assert.Contains("MaxConcurrentScrapes", negative.Message);
        Assert.Contains("ScrapeTimeout", zero.Message);
    }

    [Fact]
    public async Task Concurrent_scrapes_share_one_gather()
    {
        var registry = new Registry();
        var collector = new GateCollector();
        registry.MustRegister(collector);
        var handler = new ScrapeHandler(registry);
        collector.Block();

        // Each call joins before its first await: the first starts the gather, the other seven wait for it.
        var responses = Enumerable.Range(0, 8).Select(_ => new RecordingResponse()).ToArray();
        var scrapes = responses.Select(r => handler.HandleAsync(Get(), r)).ToArray();
        await collector.WaitUntilEnteredAsync();
        collector.Open();
        await Task.WhenAll(scrapes);

        Assert.Equal(1, collector.Calls);
        Assert.All(responses, r => Assert.Equal(200, r.StatusCode));
        Assert.All(responses, r => Assert.Equal(responses[0].Text, r.Text));
        Assert.Contains("test_gated 1", responses[0].Text);
    }

    [Fact]
    public async Task Joined_scrapes_get_the_format_and_encoding_each_asked_for()
    {
        var registry = new Registry();
        var collector = new GateCollector();
        registry.MustRegister(collector);
        var handler = new ScrapeHandler(registry);
        collector.Block();

        var requests = new[] { Get(), Get(accept: OpenMetricsAccept), Get(acceptEncoding: "gzip"), Get(accept: OpenMetricsAccept, acceptEncoding: "gzip"), Get() };
        var responses = requests.Select(_ => new RecordingResponse()).ToArray();
        var scrapes = requests.Select((r, i) => handler.HandleAsync(r, responses[i])).ToArray();
        await collector.WaitUntilEnteredAsync();
        collector.Open();
        await Task.WhenAll(scrapes);

        Assert.Equal(1, collector.Calls);
        Assert.StartsWith("text/plain", responses[0].ContentType);
        Assert.StartsWith("application/openmetrics-text", responses[1].ContentType);
        Assert.EndsWith("# EOF\n", responses[1].Text);
        Assert.Equal(responses[0].Text, responses[2].Text);
        Assert.Equal("gzip", responses[2].Headers["Content-Encoding"]);
        Assert.Equal(responses[1].Text, responses[3].Text);
        Assert.Equal(responses[0].Text, responses[4].Text);
    }

    [Fact]
    public async Task A_scrape_after_the_gather_returned_starts_a_new_one()
    {
        var registry = new Registry();
        var collector = new GateCollector();
        registry.MustRegister(collector);
        var handler = new ScrapeHandler(registry);

        await ScrapeAsync(handler);
        collector.Value = 2;
        var second = await ScrapeAsync(handler);

        Assert.Equal(2, collector.Calls);
        Assert.Contains("test_gated 2", second.Text);
    }

    [Fact]
    public async Task A_hung_collector_holds_one_gather_off_the_thread_pool_and_every_scrape_gets_503_at_its_deadline()
    {
        var registry = new Registry();
        var collector = new GateCollector();
        registry.MustRegister(collector);
        var timeout = TimeSpan.FromMilliseconds(200);
        var handler = new ScrapeHandler(registry, new ScrapeHandlerOptions { ScrapeTimeout = timeout });
        collector.Block();

        // Two waves of 24: the second arrives while the first wave's gather still hangs.
        var first = await ScrapeManyAsync(handler, 24);
        var second = await ScrapeManyAsync(handler, 24);
        var gathersWhileHung = collector.Calls;
        collector.Open();
        await WaitUntilAsync(() => ScrapeAsync(handler), r => r.StatusCode == 200);

        Assert.All(first.Concat(second), r => Assert.Equal(503, r.Response.StatusCode));
        Assert.All(first.Concat(second), r => Assert.Contains("scrape timeout", r.Response.Text));
        // Each answer came at its deadline, not after the others' (generous bound: timeout + 2 s).
        Assert.All(first.Concat(second), r => Assert.True(r.Elapsed < timeout + TimeSpan.FromSeconds(2), $"a 503 took {r.Elapsed}"));
        Assert.Equal(1, gathersWhileHung);
        Assert.Equal(1, collector.MaxRunning);
        Assert.False(collector.RanOnThreadPool);
    }

    [Fact]
    public async Task A_timed_out_gather_keeps_one_slot_until_it_returns()
    {
        var registry = new Registry();
        var collector = new GateCollector();
        registry.MustRegister(collector);
        var handler = new ScrapeHandler(registry, new ScrapeHandlerOptions { ScrapeTimeout = TimeSpan.FromMilliseconds(100), MaxConcurrentScrapes = 2 });
        collector.Block();

        var timedOut = await ScrapeAsync(handler);       // its gather hangs and keeps a slot
        var joined = await ScrapeAsync(handler);         // one slot left: joins the hung gather, times out too
        var gathersWhileHung = collector.Calls;
        collector.Open();
        await WaitUntilAsync(() => ScrapeAsync(handler), r => r.StatusCode == 200);

        Assert.Equal(503, timedOut.StatusCode);
        Assert.Contains("scrape timeout", joined.Text);
        Assert.Equal(1, gathersWhileHung);
    }

    [Fact]
    public async Task A_shared_result_is_not_recycled_while_a_scrape_still_writes_it()
    {
        var registry = new Registry();
        var collector = new GateCollector();
        registry.MustRegister(collector);
        var handler = new ScrapeHandler(registry);
        collector.Block();
        var slowReader = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var slow = new RecordingResponse { Gate = slowReader.Task };
        var fast = new RecordingResponse();
        var slowScrape = handler.HandleAsync(Get(), slow);
        var fastScrape = handler.HandleAsync(Get(), fast);
        await collector.WaitUntilEnteredAsync();
        collector.Open();
        await fastScrape;
        // While the slow scraper still reads the first gather's bytes, later scrapes gather and encode again.
        collector.Value = 99;
        var later = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => ScrapeAsync(handler)));
        slowReader.SetResult();
        await slowScrape;

        Assert.Contains("test_gated 1", fast.Text);
        Assert.Equal(fast.Text, slow.Text);
        Assert.All(later, r => Assert.Contains("test_gated 99", r.Text));
    }

    [Fact]
    public async Task Name_filter_limits_the_scrape_to_the_named_families()
    {
        var registry = new Registry();
        var counter = new Counter(new CounterOptions { Name = "test_counter_total", Help = "A counter." });
        var gauge = new Gauge(new GaugeOptions { Name = "test_gauge", Help = "A gauge." });
        var histogram = new Histogram(new HistogramOptions { Name = "test_histogram", Help = "A histogram." });
        registry.MustRegister(counter, gauge, histogram);
        counter.Inc();
        gauge.Set(42);
        histogram.Observe(3.14);
        var handler = new ScrapeHandler(registry);

        var one = (await ScrapeAsync(handler, Get("?name[]=test_counter_total"))).Text;
        var two = (await ScrapeAsync(handler, Get("?name[]=test_counter_total&name[]=test_gauge"))).Text;
        var escaped = (await ScrapeAsync(handler, Get("name%5B%5D=test_gauge&other=1"))).Text;
        var duplicate = (await ScrapeAsync(handler, Get("?name[]=test_gauge&name[]=test_gauge"))).Text;
        var none = await ScrapeAsync(handler, Get("?name[]=nonexistent"));
        var empty = await ScrapeAsync(handler, Get("?name[]="));
        var unfiltered = (await ScrapeAsync(handler, Get("?other=1"))).Text;

        Assert.Contains("test_counter_total 1", one);
        Assert.DoesNotContain("test_gauge", one);
        Assert.DoesNotContain("test_histogram", one);
        Assert.Contains("test_counter_total 1", two);
        Assert.Contains("test_gauge 42", two);
        Assert.DoesNotContain("test_histogram", two);
        Assert.Equal("# HELP test_gauge A gauge.\n# TYPE test_gauge gauge\ntest_gauge 42\n", escaped);
        Assert.Equal(escaped, duplicate);
        Assert.Equal(200, none.StatusCode);
        Assert.Equal(0, none.ContentLength);
        Assert.Equal(0, empty.ContentLength);
        Assert.Contains("test_histogram_count 1", unfiltered);
    }

    [Fact]
    public async Task Name_filter_works_with_gzip_and_openmetrics()
    {
        var registry = RegistryWith(out var counter);
        registry.MustRegister(new Gauge(new GaugeOptions { Name = "test_other", Help = "Other." }));
        counter.Inc();
        var handler = new ScrapeHandler(registry);

        var response = await ScrapeAsync(handler, Get("?name[]=test_events_total", OpenMetricsAccept, "gzip"));

        Assert.Equal("gzip", response.Headers["Content-Encoding"]);
        Assert.Equal("# HELP test_events Events.\n# TYPE test_events counter\ntest_events_total 1.0\n# EOF\n", response.Text);
    }

    [Fact]
    public async Task Process_start_time_header_is_sent_only_when_set()
    {
        var start = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
        var with = await ScrapeAsync(new ScrapeHandler(new Registry(), new ScrapeHandlerOptions { ProcessStartTime = start }));
        var without = await ScrapeAsync(new ScrapeHandler(new Registry()));

        Assert.Equal(start.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), with.Headers["Process-Start-Time-Unix"]);
        Assert.False(without.Headers.ContainsKey("Process-Start-Time-Unix"));
    }

    [Fact]
    public async Task OpenMetrics_created_samples_are_off_by_default()
    {
        var registry = RegistryWith(out var counter);
        counter.Inc();

        var off = await ScrapeAsync(new ScrapeHandler(registry), Get(accept: OpenMetricsAccept));
        var on = await ScrapeAsync(new ScrapeHandler(registry, new ScrapeHandlerOptions { OpenMetricsCreatedSamples = true }), Get(accept: OpenMetricsAccept));

        Assert.DoesNotContain("test_events_created", off.Text);
        Assert.Contains("test_events_created", on.Text);
    }

    [Fact]
    public async Task Handlers_on_one_registry_share_their_self_metrics()
    {
        var registry = new Registry();
        var endpoint = new ScrapeHandler(registry, metricsRegisterer: registry);
        var server = new ScrapeHandler(registry, metricsRegisterer: registry);

        await ScrapeAsync(endpoint);
        await ScrapeAsync(server);
        await ScrapeAsync(server, new ScrapeRequest("POST"));

        var text = (await ScrapeAsync(endpoint)).Text;
        Assert.Contains("metrics_handler_requests_total{code=\"200\"} 2", text);
        Assert.Contains("metrics_handler_requests_total{code=\"405\"} 1", text);
        Assert.Contains("metrics_handler_requests_in_flight 1", text);
    }

    [Fact]
    public async Task Gather_problems_follow_the_error_mode_and_are_reported()
    {
        var registry = RegistryWith(out var counter);
        counter.Inc();
        registry.MustRegister(new ThrowingCollector());
        var problems = new List<ScrapeProblem>();
        var continuing = new ScrapeHandler(registry, reportProblem: problems.Add);
        var failing = new ScrapeHandler(registry, new ScrapeHandlerOptions { ErrorHandling = ScrapeErrorHandling.FailOnError }, reportProblem: problems.Add);

        var served = await ScrapeAsync(continuing);
        var failed = await ScrapeAsync(failing);

        Assert.Equal(200, served.StatusCode);
        Assert.Contains("test_events_total 1", served.Text);
        Assert.Equal(500, failed.StatusCode);
        Assert.Contains("the store is down", failed.Text);
        Assert.Equal([ScrapeProblemKind.GatherPartial, ScrapeProblemKind.GatherFailed], problems.Select(p => p.Kind));
    }

    private static async Task<(RecordingResponse Response, TimeSpan Elapsed)[]> ScrapeManyAsync(ScrapeHandler handler, int count)
    {
        var scrapes = Enumerable.Range(0, count).Select(async _ =>
        {
            var started = Stopwatch.GetTimestamp();
            var response = new RecordingResponse();
            await handler.HandleAsync(Get(), response);
            return (response, Stopwatch.GetElapsedTime(started));
        }).ToArray();
        return await Task.WhenAll(scrapes);
    }

    private static async Task WaitUntilAsync(Func<Task<RecordingResponse>> scrape, Func<RecordingResponse, bool> done)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 30;
        while (!done(await scrape()))
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, "the handler did not recover");
            await Task.Delay(20);
        }
    }

    private sealed class ThrowingCollector : ICollector
    {
        private static readonly Desc Desc = new("test_broken", "Never collected.", null, null);

        public IEnumerable<Desc> Describe() => [Desc];

        public IEnumerable<IMetric> Collect() => throw new InvalidOperationException("the store is down");
    }
}
