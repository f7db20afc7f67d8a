using System.Net;
using Instrumentation.Push;

namespace Instrumentation.Tests.Push;

public class MetricPusherTests
{
    private static (MetricPusher Pusher, FakeGateway Gateway) Create(PushMethod method = PushMethod.Push)
    {
        var fake = new FakeGateway();
        var client = new PushGatewayClient(new Uri("http://127.0.0.1:9091"), new GroupingKey("loop"), new HttpClient(fake));
        var registry = new Registry();
        registry.MustRegister(new Gauge(new GaugeOptions { Name = "loop_progress", Help = "Progress." }));
        // An interval far longer than any test, so only the start and stop pushes happen.
        return (new MetricPusher(client, registry, TimeSpan.FromHours(1), method), fake);
    }

    [Fact]
    public async Task Start_pushes_at_once_and_stop_pushes_the_final_state()
    {
        var (pusher, fake) = Create();

        pusher.Start();
        await fake.WaitForRequestsAsync(1);
        await pusher.StopAsync();

        Assert.Equal(2, fake.Requests.Count);
        Assert.All(fake.Requests, r => Assert.Equal("PUT", r.Method));
        Assert.Equal(2, pusher.Pushes);
    }

    [Fact]
    public async Task Add_method_sends_POST()
    {
        var (pusher, fake) = Create(PushMethod.Add);

        await pusher.PushOnceAsync();

        Assert.Equal("POST", Assert.Single(fake.Requests).Method);
    }

    [Fact]
    public async Task Failed_push_is_reported_and_does_not_end_the_loop()
    {
        var (pusher, fake) = Create();
        fake.Respond = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError));
        var reported = new List<Exception>();
        pusher.PushFailed += e => { lock (reported) { reported.Add(e); } };

        pusher.Start();
        await fake.WaitForRequestsAsync(1);
        await pusher.StopAsync();

        // The final push still happened after the first one failed.
        Assert.Equal(2, fake.Requests.Count);
        Assert.Equal(2, pusher.Failures);
        Assert.Equal(2, reported.Count);
        Assert.IsType<PushGatewayException>(pusher.LastError);
    }

    [Fact]
    public async Task Run_loop_ends_when_its_token_is_cancelled()
    {
        var (pusher, fake) = Create();
        using var cts = new CancellationTokenSource();

        var run = pusher.RunAsync(cts.Token);
        await fake.WaitForRequestsAsync(1);
        await cts.CancelAsync();
        await run;

        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public void Non_positive_interval_throws()
    {
        var client = new PushGatewayClient(new Uri("http://127.0.0.1:9091"), new GroupingKey("j"));

        Assert.Throws<ArgumentOutOfRangeException>(() => new MetricPusher(client, new Registry(), TimeSpan.Zero));
    }
}
