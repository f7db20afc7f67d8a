using Instrumentation;

namespace Fixture;

/// <summary>
/// Registers a rich set of metrics — every type, labelled families with many children, awkward label values and
/// floats — and records, independently of the library, every sample the exposition must contain.
/// </summary>
internal static class FixtureMetrics
{
    /// <summary>The registry-wide const label, added to every series.</summary>
    private static readonly KeyValuePair<string, string> Global = new("fixture", "conformance");

    /// <summary>The gauge with an explicit timestamp (the one family a Pushgateway refuses: see PushSteps).</summary>
    public const string TimestampedFamily = "fixture_timestamped_value";

    /// <summary>Label values that need escaping or are otherwise easy to get wrong.</summary>
    public static readonly string[] AwkwardValues =
    [
        "quote\"d", "back\\slash", "new\nline", "ütf-8 ✓ 日本語 🚀", "", "trailing\\", "\\n is not a newline",
        "{braces}=,\"x\"", "tab\there", "carriage\rreturn", " spaced ",
        string.Concat(Enumerable.Repeat("long ✓ \"value\" \\ ", 150)),
    ];

    public static (Registry Registry, Expected Expected) Create()
    {
        var started = Now();
        var registry = new Registry(new RegistryOptions { ConstLabels = { [Global.Key] = Global.Value } });
        var expected = new Expected();

        Counters(registry, expected);
        Gauges(registry, expected);
        Histograms(registry, expected);
        Summaries(registry, expected);
        registry.Register(new ConstCollector(expected));

        // Margins cover the rounding of timestamps written with millisecond precision.
        expected.CreatedWindow = (started - 0.01, Now() + 0.01);
        return (registry, expected);
    }

    private static void Counters(Registry registry, Expected expected)
    {
        const string requestsName = "fixture_http_requests_total";
        const string requestsHelp = "Requests handled, by method and path.";
        var requests = new CounterVec(new CounterOptions
        {
            Name = requestsName,
            Help = requestsHelp,
            ConstLabels = new Dictionary<string, string> { ["service"] = "fixture" },
        }, ["method", "path"]);
        registry.Register(requests);
        expected.Family(requestsName, "counter", requestsHelp);
        string[] methods = ["GET", "POST", "DELETE"];
        var paths = Enumerable.Range(0, 60).Select(i => $"/api/items/{i}").Concat(AwkwardValues).ToArray();
        for (var p = 0; p < paths.Length; p++)
        {
            for (var m = 0; m < methods.Length; m++)
            {
                var child = requests.WithLabels(methods[m], paths[p]);
                // Quarter steps are exact in binary, so the expected sum is exact whatever order the counter adds in.
                var value = 0.0;
                for (var k = 0; k < (p + m) % 5; k++)
                {
                    child.Inc();
                    value += 1;
                }
                if ((p * 3 + m) % 4 == 1)
                {
                    child.Add(0.25 * p);
                    value += 0.25 * p;
                }
                expected.Add(requestsName, requestsName, Labels(("service", "fixture"), ("method", methods[m]), ("path", paths[p])), value, created: true);
            }
        }

        const string jobsName = "fixture_jobs_processed_total";
        const string jobsHelp = "Jobs processed, with an exemplar pointing at a trace.";
        var jobs = new Counter(new CounterOptions { Name = jobsName, Help = jobsHelp });
        registry.Register(jobs);
        expected.Family(jobsName, "counter", jobsHelp);
        for (var i = 0; i < 5; i++)
        {
            jobs.Inc();
        }
        var before = Now();
        jobs.AddWithExemplar(2.5, [new LabelPair("trace_id", "0af7651916cd43dd8448eb211c80319c"), new LabelPair("span_id", "b7ad6b7169203331")]);
        var after = Now();
        expected.Add(jobsName, jobsName, Labels(), 7.5, created: true)
            .WithExemplar(Dict(("trace_id", "0af7651916cd43dd8448eb211c80319c"), ("span_id", "b7ad6b7169203331")), 2.5, before - 0.01, after + 0.01);

        const string hugeName = "fixture_huge_total";
        var huge = new Counter(new CounterOptions { Name = hugeName, Help = "A counter past 2^63." });
        registry.Register(huge);
        expected.Family(hugeName, "counter", "A counter past 2^63.");
        huge.Add(1.5e300);
        expected.Add(hugeName, hugeName, Labels(), 1.5e300, created: true);

        // A counter with a unit: OpenMetrics writes "# UNIT fixture_transferred_bytes bytes" for the family without _total.
        const string bytesName = "fixture_transferred_bytes_total";
        var transferred = new Counter(new CounterOptions { Name = bytesName, Help = "Bytes transferred.", Unit = "bytes" });
        registry.Register(transferred);
        expected.Family(bytesName, "counter", "Bytes transferred.", "bytes");
        transferred.Add(1L << 40);
        transferred.Add(0.5);
        expected.Add(bytesName, bytesName, Labels(), (1L << 40) + 0.5, created: true);

        const string funcName = "fixture_func_reads_total";
        registry.Register(new CounterFunc(new CounterOptions { Name = funcName, Help = "A counter read from a function." }, () => 12345.678));
        expected.Family(funcName, "counter", "A counter read from a function.");
        expected.Add(funcName, funcName, Labels(), 12345.678);
    }

    private static void Gauges(Registry registry, Expected expected)
    {
        const string tempName = "fixture_temperature_celsius";
        // Help needs escaping in both text formats (backslash, newline) and OpenMetrics (quote).
        const string tempHelp = "Temperature in \\ degrees\nCelsius, with \"quotes\" and ü.";
        var temperature = new Gauge(new GaugeOptions { Name = tempName, Help = tempHelp, Unit = "celsius" });
        registry.Register(temperature);
        expected.Family(tempName, "gauge", tempHelp, "celsius");
        temperature.Set(-273.15);
        expected.Add(tempName, tempName, Labels(), -273.15);

        const string extremeName = "fixture_extreme_values";
        const string extremeHelp = "Gauges holding huge, tiny and special floats.";
        var extremes = new GaugeVec(new GaugeOptions { Name = extremeName, Help = extremeHelp }, ["case"]);
        registry.Register(extremes);
        expected.Family(extremeName, "gauge", extremeHelp);
        (string Case, double Value)[] cases =
        [
            ("max", double.MaxValue), ("neg_max", -double.MaxValue), ("min_normal", 2.2250738585072014e-308),
            ("denormal", double.Epsilon), ("tiny", 1e-300), ("pi", Math.PI), ("third", 1.0 / 3), ("tenth", 0.1),
            ("nan", double.NaN), ("pos_inf", double.PositiveInfinity), ("neg_inf", double.NegativeInfinity),
            ("neg_zero", -0.0), ("zero", 0), ("two_pow_53_plus", 9007199254740993), ("e21", 1e21), ("e22", 1e22),
            ("big_int", 123456789012345678), ("neg", -42), ("one", 1), ("million", 1e6), ("e15", 1e15), ("e16", 1e16),
            ("small", 0.000123), ("e_minus_5", 1e-5), ("e_minus_4", 1e-4),
        ];
        foreach (var (name, value) in cases)
        {
            extremes.WithLabels(name).Set(value);
            expected.Add(extremeName, extremeName, Labels(("case", name)), value);
        }

        const string awkwardName = "fixture_awkward_labels";
        const string awkwardHelp = "One gauge per label value that needs escaping.";
        var awkward = new GaugeVec(new GaugeOptions { Name = awkwardName, Help = awkwardHelp }, ["value", "other"]);
        registry.Register(awkward);
        expected.Family(awkwardName, "gauge", awkwardHelp);
        for (var i = 0; i < AwkwardValues.Length; i++)
        {
            var other = AwkwardValues[(i + 3) % AwkwardValues.Length];
            awkward.WithLabels(AwkwardValues[i], other).Set(i);
            expected.Add(awkwardName, awkwardName, Labels(("value", AwkwardValues[i]), ("other", other)), i);
        }

        // Colons are legal in metric names (recording-rule style); a single leading underscore in a label name too.
        const string colonName = "fixture:error_ratio:rate5m";
        var colon = new GaugeVec(new GaugeOptions { Name = colonName, Help = "A recording-rule style name." }, ["_private"]);
        registry.Register(colon);
        expected.Family(colonName, "gauge", "A recording-rule style name.");
        colon.WithLabels("yes").Set(0.125);
        expected.Add(colonName, colonName, Labels(("_private", "yes")), 0.125);

        const string ratioName = "fixture_uptime_ratio";
        registry.Register(new GaugeFunc(new GaugeOptions { Name = ratioName, Help = "A gauge read from a function." }, () => 0.999));
        expected.Family(ratioName, "gauge", "A gauge read from a function.");
        expected.Add(ratioName, ratioName, Labels(), 0.999);
    }

    private static void Histograms(Registry registry, Expected expected)
    {
        const string durationName = "fixture_request_duration_seconds";
        const string durationHelp = "Request durations, by route.";
        var durations = new HistogramVec(new HistogramOptions { Name = durationName, Help = durationHelp, Unit = "seconds" }, ["route"]);
        registry.Register(durations);
        expected.Family(durationName, "histogram", durationHelp, "seconds");
        string[] routes = ["/", "/api/orders/{id}", "ütf ✓", "", "quote\"d\nnewline"];
        for (var r = 0; r < routes.Length; r++)
        {
            var child = durations.WithLabels(routes[r]);
            var observations = Enumerable.Range(0, 40 + 17 * r).Select(k => (k * 37 % 1300) / 100.0).ToList();
            foreach (var value in observations)
            {
                child.Observe(value);
            }
            var before = Now();
            child.ObserveWithExemplar(0.042, [new LabelPair("trace_id", $"trace-{r}")]);
            var after = Now();
            observations.Add(0.042);
            var exemplarWindow = (before - 0.01, after + 0.01);
            RecordHistogram(expected, durationName, Labels(("route", routes[r])), Buckets.Default, observations,
                exemplar: (0.05, Dict(("trace_id", $"trace-{r}")), 0.042, exemplarWindow));
        }

        HistogramOf(registry, expected, "fixture_payload_bytes", "Payload sizes in exponential buckets.", Buckets.Exponential(1, 4, 12),
            [0, 1, 3, 17, 1e6, 5e9, 9007199254740992, 4194304, 4194305]);
        HistogramOf(registry, expected, "fixture_tiny_seconds", "Observations around tiny bucket bounds.", [1e-9, 2.5e-7, 1e-4, 0.5],
            [1e-10, 3e-8, 1e-4, 0.2, 7, 2.5e-7]);
        HistogramOf(registry, expected, "fixture_idle_seconds", "A histogram nothing was observed in.", [1, 2], []);
    }

    private static void Summaries(Registry registry, Expected expected)
    {
        const string name = "fixture_queue_wait_seconds";
        const string help = "Time jobs wait in a queue, as quantiles.";
        var objectives = new Dictionary<double, double> { [0.5] = 0.05, [0.9] = 0.01, [0.99] = 0.001 };
        var waits = new SummaryVec(new SummaryOptions { Name = name, Help = help, Unit = "seconds", Objectives = objectives }, ["queue"]);
        registry.Register(waits);
        expected.Family(name, "summary", help, "seconds");

        // 1000 observations k/1024 (exact in binary, so the sum is exact in any order), in a scrambled order.
        const int n = 1000;
        var busy = waits.WithLabels("busy \"queue\"");
        for (var i = 0; i < n; i++)
        {
            busy.Observe(((i * 389) % n + 1) / 1024.0);
        }
        foreach (var (rank, error) in objectives.OrderBy(o => o.Key))
        {
            // Any observation whose rank is within rank ± error (one rank of slack for rounding) is a correct answer.
            var low = Math.Max(1, Math.Floor((rank - error) * n) - 1) / 1024.0;
            var high = Math.Min(n, Math.Ceiling((rank + error) * n) + 1) / 1024.0;
            expected.Add(name, name, Labels(("queue", "busy \"queue\""), ("quantile", Expected.Number(rank))), rank * n / 1024.0, created: true, range: (low, high));
        }
        expected.Add(name, name + "_count", Labels(("queue", "busy \"queue\"")), n, created: true);
        expected.Add(name, name + "_sum", Labels(("queue", "busy \"queue\"")), n * (n + 1) / 2 / 1024.0, created: true);

        // A summary nothing was observed in: NaN quantiles.
        waits.WithLabels("idle");
        foreach (var rank in objectives.Keys.Order())
        {
            expected.Add(name, name, Labels(("queue", "idle"), ("quantile", Expected.Number(rank))), double.NaN, created: true);
        }
        expected.Add(name, name + "_count", Labels(("queue", "idle")), 0, created: true);
        expected.Add(name, name + "_sum", Labels(("queue", "idle")), 0, created: true);

        // Without objectives: only _count and _sum.
        const string plainName = "fixture_payload_ratio";
        var plain = new Summary(new SummaryOptions { Name = plainName, Help = "A summary without quantiles." });
        registry.Register(plain);
        expected.Family(plainName, "summary", "A summary without quantiles.");
        foreach (var value in new[] { 0.5, 0.25, 2, 1e10 })
        {
            plain.Observe(value);
        }
        expected.Add(plainName, plainName + "_count", Labels(), 4, created: true);
        expected.Add(plainName, plainName + "_sum", Labels(), 0.5 + 0.25 + 2 + 1e10, created: true);
    }

    private static void HistogramOf(Registry registry, Expected expected, string name, string help, double[] bounds, double[] observations)
    {
        var histogram = new Histogram(new HistogramOptions { Name = name, Help = help, Buckets = bounds });
        registry.Register(histogram);
        expected.Family(name, "histogram", help);
        foreach (var value in observations)
        {
            histogram.Observe(value);
        }
        RecordHistogram(expected, name, Labels(), bounds, observations, exemplar: null);
    }

    /// <summary>Records the cumulative buckets, count and sum that <paramref name="observations"/> must produce.</summary>
    private static void RecordHistogram(Expected expected, string name, Dictionary<string, string> labels, double[] bounds, IReadOnlyList<double> observations,
        (double Bucket, Dictionary<string, string> Labels, double Value, (double From, double To) Window)? exemplar)
    {
        foreach (var bound in bounds.Append(double.PositiveInfinity))
        {
            var bucketLabels = new Dictionary<string, string>(labels) { ["le"] = Expected.Number(bound) };
            var sample = expected.Add(name, name + "_bucket", bucketLabels, observations.Count(v => v <= bound), created: true);
            if (exemplar is { } e && e.Bucket == bound)
            {
                sample.WithExemplar(e.Labels, e.Value, e.Window.From, e.Window.To);
            }
        }
        expected.Add(name, name + "_count", labels, observations.Count, created: true);
        // Summed in observation order, as the histogram adds them.
        var sum = 0.0;
        foreach (var value in observations)
        {
            sum += value;
        }
        expected.Add(name, name + "_sum", labels, sum, created: true);
    }

    /// <summary>Const metrics made at collect time: summary, info, stateset, untyped, timestamps, fixed creation times.</summary>
    private sealed class ConstCollector : ICollector
    {
        private static readonly Desc SummaryDesc = new("fixture_rpc_duration_seconds", "RPC latency quantiles.", ["service"], null, "seconds");
        private static readonly Desc InfoDesc = new("fixture_build_info", "Build information.", ["version", "revision", "runtime"], null);
        // An info family named without _info: its samples are fixture_deployment_info in every format.
        private static readonly Desc DeploymentDesc = new("fixture_deployment", "An info family named without the suffix.", ["region"], null);
        private static readonly Desc StateDesc = new("fixture_feature_state", "Feature flags as a stateset.", ["feature"], null);
        private static readonly Desc UntypedDesc = new("fixture_legacy_value", "A value of unknown type.", ["kind"], null);
        private static readonly Desc EventsDesc = new("fixture_const_events_total", "A const counter with a creation time.", null, null);
        private static readonly Desc ConstHistogramDesc = new("fixture_const_duration_seconds", "A const histogram.", null, null);
        private static readonly Desc TimestampedDesc = new(TimestampedFamily, "A gauge with an explicit timestamp.", null, null);

        private static readonly DateTimeOffset EventsCreated = new(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
        // A recent timestamp (the fixture's start, whole milliseconds) so that the Prometheus server accepts the sample.
        private static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        private static readonly Dictionary<double, double> AlphaQuantiles = new() { [0.5] = 0.05, [0.9] = 0.25, [0.99] = 1.5 };
        private static readonly Dictionary<double, double> EmptyQuantiles = new() { [0.5] = double.NaN, [0.9] = double.NaN };
        private static readonly Dictionary<string, bool> LoginStates = new() { ["enabled"] = true, ["disabled"] = false, ["degraded"] = false };
        private static readonly Dictionary<string, bool> SearchStates = new() { ["enabled"] = false, ["disabled"] = true, ["degraded"] = false };
        private static readonly Dictionary<double, ulong> ConstBuckets = new() { [1] = 2, [5] = 7 };

        public ConstCollector(Expected expected)
        {
            expected.Family(SummaryDesc.FqName, "summary", SummaryDesc.Help, "seconds");
            RecordSummary(expected, "alpha", 1000, 123.25, AlphaQuantiles);
            RecordSummary(expected, "beta \"\n\\", 0, 0, EmptyQuantiles);

            expected.Family(InfoDesc.FqName, "info", InfoDesc.Help);
            expected.Add(InfoDesc.FqName, InfoDesc.FqName, Labels(("version", "1.2.3"), ("revision", "abc\"def"), ("runtime", ".NET 10 ✓")), 1);
            expected.Family(DeploymentDesc.FqName, "info", DeploymentDesc.Help);
            expected.Add(DeploymentDesc.FqName, DeploymentDesc.FqName + "_info", Labels(("region", "eu-west")), 1);

            expected.Family(StateDesc.FqName, "stateset", StateDesc.Help);
            foreach (var (feature, states) in new[] { ("login", LoginStates), ("search", SearchStates) })
            {
                foreach (var (state, enabled) in states)
                {
                    expected.Add(StateDesc.FqName, StateDesc.FqName, Labels(("feature", feature), (StateDesc.FqName, state)), enabled ? 1 : 0);
                }
            }

            expected.Family(UntypedDesc.FqName, "untyped", UntypedDesc.Help);
            expected.Add(UntypedDesc.FqName, UntypedDesc.FqName, Labels(("kind", "a")), 42.5);

            expected.Family(EventsDesc.FqName, "counter", EventsDesc.Help);
            expected.Add(EventsDesc.FqName, EventsDesc.FqName, Labels(), 10, createdAt: EventsCreated.ToUnixTimeMilliseconds() / 1000.0)
                .WithExemplar(Dict(("trace_id", "const")), 1, 1700000000.5, 1700000000.5);

            expected.Family(ConstHistogramDesc.FqName, "histogram", ConstHistogramDesc.Help);
            foreach (var (bound, count) in new[] { (1.0, 2UL), (5.0, 7UL), (double.PositiveInfinity, 10UL) })
            {
                expected.Add(ConstHistogramDesc.FqName, ConstHistogramDesc.FqName + "_bucket", Labels(("le", Expected.Number(bound))), count);
            }
            expected.Add(ConstHistogramDesc.FqName, ConstHistogramDesc.FqName + "_count", Labels(), 10);
            expected.Add(ConstHistogramDesc.FqName, ConstHistogramDesc.FqName + "_sum", Labels(), 55.5);

            expected.Family(TimestampedDesc.FqName, "gauge", TimestampedDesc.Help);
            expected.Add(TimestampedDesc.FqName, TimestampedDesc.FqName, Labels(), 3.25, timestampMs: Timestamp.ToUnixTimeMilliseconds());
        }

        private static void RecordSummary(Expected expected, string service, ulong count, double sum, Dictionary<double, double> quantiles)
        {
            foreach (var (q, v) in quantiles.OrderBy(q => q.Key))
            {
                expected.Add(SummaryDesc.FqName, SummaryDesc.FqName, Labels(("service", service), ("quantile", Expected.Number(q))), v);
            }
            expected.Add(SummaryDesc.FqName, SummaryDesc.FqName + "_count", Labels(("service", service)), count);
            expected.Add(SummaryDesc.FqName, SummaryDesc.FqName + "_sum", Labels(("service", service)), sum);
        }

        public IEnumerable<Desc> Describe() => [SummaryDesc, InfoDesc, DeploymentDesc, StateDesc, UntypedDesc, EventsDesc, ConstHistogramDesc, TimestampedDesc];

        public IEnumerable<IMetric> Collect()
        {
            yield return ConstMetric.Summary(SummaryDesc, 1000, 123.25, AlphaQuantiles, "alpha");
            yield return ConstMetric.Summary(SummaryDesc, 0, 0, EmptyQuantiles, "beta \"\n\\");
            yield return ConstMetric.Info(InfoDesc, "1.2.3", "abc\"def", ".NET 10 ✓");
            yield return ConstMetric.Info(DeploymentDesc, "eu-west");
            yield return ConstMetric.StateSet(StateDesc, LoginStates, "login");
            yield return ConstMetric.StateSet(StateDesc, SearchStates, "search");
            yield return ConstMetric.Untyped(UntypedDesc, 42.5, "a");
            yield return ConstMetric.WithExemplar(ConstMetric.Counter(EventsDesc, 10, EventsCreated),
                new Exemplar([new LabelPair("trace_id", "const")], 1, 1700000000.5));
            yield return ConstMetric.Histogram(ConstHistogramDesc, 10, 55.5, ConstBuckets);
            yield return ConstMetric.WithTimestamp(ConstMetric.Gauge(TimestampedDesc, 3.25), Timestamp);
        }
    }

    /// <summary>A series' labels as the exposition must show them: its own plus the registry-wide one.</summary>
    private static Dictionary<string, string> Labels(params (string Name, string Value)[] pairs)
    {
        var labels = Dict(pairs);
        labels.Add(Global.Key, Global.Value);
        return labels;
    }

    private static Dictionary<string, string> Dict(params (string Name, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    private static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond;
}
