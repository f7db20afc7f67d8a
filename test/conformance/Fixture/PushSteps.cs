using Instrumentation;
using Instrumentation.Push;

namespace Fixture;

/// <summary>
/// The fixture's side of the Pushgateway round trip: each step is one request of <see cref="PushGatewayClient"/> to
/// the group <c>job="conformance", instance="fixture/one"</c> (the slash forces the <c>@base64</c> path form), run as
/// its own process so that checks/push_roundtrip.py can read the gateway between the steps. The client pushes
/// protobuf, its default; the native step pushes to the group <c>instance=".."</c>, a dot segment that must reach the
/// gateway as its own group (<c>instance@base64/Li4</c>), not as the group of the job alone.
/// </summary>
internal static class PushSteps
{
    public const string Job = "conformance";
    public const string Instance = "fixture/one";
    public const string NativeInstance = "..";

    private const string AddedName = "fixture_pushed_later_total";
    private const string AddedHelp = "A counter POSTed to the group after the full push.";

    /// <summary>
    /// PUTs the fixture's registry, all of it except <see cref="FixtureMetrics.TimestampedFamily"/>: the Pushgateway
    /// refuses a push in which any sample carries a timestamp (400 "pushed metrics must not have timestamps" — it
    /// stamps pushes itself, and a scrape would otherwise see a stale sample as current), so a real user pushes
    /// without them. Everything else goes through as protobuf carries it: every metric type (info and stateset as
    /// gauges), the awkward label values and help, NaN and infinities, exemplars and creation times. Writes the pushed
    /// samples to DIR/pushed.json.
    /// </summary>
    public static async Task PushAsync(Registry registry, Expected expected, Uri gateway, string dir)
    {
        expected.Remove(FixtureMetrics.TimestampedFamily);
        using var client = Client(gateway);
        await client.PushAsync(new WithoutTimestamps(registry));
        Directory.CreateDirectory(dir);
        using var stream = File.Create(Path.Combine(dir, "pushed.json"));
        expected.WriteJson(stream);
    }

    /// <summary>
    /// PUTs the whole registry, timestamped gauge included, and succeeds only if the gateway refuses it with 400 and
    /// says why: the client's <see cref="PushGatewayException"/> must carry the gateway's explanation. A refused push
    /// leaves the group as it was (the next check reads every earlier sample back).
    /// </summary>
    public static async Task<int> PushRefusedAsync(Registry registry, Uri gateway)
    {
        using var client = Client(gateway);
        try
        {
            await client.PushAsync(registry);
        }
        catch (PushGatewayException e) when ((int)e.StatusCode == 400 && e.Message.Contains("timestamps", StringComparison.Ordinal))
        {
            Console.WriteLine($"refused as expected: {e.Message}");
            return 0;
        }
        Console.Error.WriteLine($"the Pushgateway accepted a push with a timestamped sample ({FixtureMetrics.TimestampedFamily})");
        return 1;
    }

    /// <summary>
    /// POSTs one more counter, from a registry of its own, to the same group: the gateway must add it and keep
    /// everything the PUT left there. Writes its sample to DIR/added.json.
    /// </summary>
    public static async Task AddAsync(Uri gateway, string dir)
    {
        var registry = new Registry();
        var counter = new CounterVec(new CounterOptions { Name = AddedName, Help = AddedHelp }, ["step"]);
        registry.Register(counter);
        counter.WithLabels("add").Add(3);

        var expected = new Expected();
        expected.Family(AddedName, "counter", AddedHelp);
        expected.Add(AddedName, AddedName, new Dictionary<string, string> { ["step"] = "add" }, 3);

        using var client = Client(gateway);
        await client.AddAsync(registry);
        Directory.CreateDirectory(dir);
        using var stream = File.Create(Path.Combine(dir, "added.json"));
        expected.WriteJson(stream);
    }

    /// <summary>
    /// PUTs <see cref="NativeFixture"/>'s native histograms to the group <c>job="conformance", instance=".."</c>
    /// (checks/push_roundtrip.py reads their native buckets back from the gateway's protobuf output).
    /// </summary>
    public static async Task PushNativeAsync(Uri gateway)
    {
        using var client = new PushGatewayClient(gateway, new GroupingKey(Job, [new KeyValuePair<string, string>("instance", NativeInstance)]));
        await client.PushAsync(NativeFixture.Create());
    }

    /// <summary>DELETEs the group.</summary>
    public static async Task DeleteAsync(Uri gateway)
    {
        using var client = Client(gateway);
        await client.DeleteAsync();
    }

    private static PushGatewayClient Client(Uri gateway) =>
        new(gateway, new GroupingKey(Job, [new KeyValuePair<string, string>("instance", Instance)]));

    /// <summary>The registry's families without those carrying a sample timestamp (which a Pushgateway refuses).</summary>
    private sealed class WithoutTimestamps(IGatherer inner) : IGatherer
    {
        public IReadOnlyList<MetricFamily> Gather() =>
            inner.Gather().Where(f => f.Metrics.All(m => m.TimestampMs is null)).ToList();
    }
}
