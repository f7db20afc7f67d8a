using Instrumentation;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace SentryCa.Tests;

/// <summary>
/// Hosts the SentryCa example in-process with its credentials in a fresh temporary directory, watched with a short
/// debounce and poll so reload tests finish quickly.
/// </summary>
public sealed class SentryCaFactory : WebApplicationFactory<Program>
{
    private readonly TempCredentials _credentials = new();

    internal SentryCaFactory(bool createCredentials = false)
    {
        if (!createCredentials)
        {
            // Let the app create them on first run: start from an empty, not yet existing directory.
            Directory.Delete(_credentials.Directory);
        }
    }

    internal string CredentialsDirectory => _credentials.Directory;

    internal Ca.CredentialFiles Files => _credentials.Files;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Sentry:CredentialsDirectory", _credentials.Directory);
        builder.UseSetting("Sentry:ReloadDebounceMilliseconds", "20");
        builder.UseSetting("Sentry:PollIntervalMilliseconds", "100");
    }

    internal double Counter<T>(params string[] labels) where T : ICounterDefinition
    {
        var counter = Services.GetRequiredService<ICounter<T>>();
        return labels.Length == 0 ? counter.Value : counter.WithLabels(labels).Value;
    }

    internal double Gauge<T>() where T : IGaugeDefinition => Services.GetRequiredService<IGauge<T>>().Value;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _credentials.Dispose();
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms for at most 10 s; fails naming what was awaited.</summary>
    internal static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting until " + what);
            }
            await Task.Delay(20);
        }
    }
}
