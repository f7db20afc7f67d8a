using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;

namespace Instrumentation.AspNetCore.Tests;

/// <summary>A small in-memory host: WebApplication on a TestServer, configured only by what the test gives it.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    private TestApp(WebApplication app)
    {
        App = app;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<TestApp> StartAsync(
        Action<WebApplicationBuilder> configureServices,
        Action<WebApplication> configureApp,
        IDictionary<string, string?>? configuration = null)
    {
        var builder = WebApplication.CreateBuilder();
        // Only the test's own configuration: no appsettings.json from the output folder, no environment variables.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());
        builder.WebHost.UseTestServer();
        configureServices(builder);
        var app = builder.Build();
        configureApp(app);
        await app.StartAsync();
        return new TestApp(app);
    }

    public async Task<string> ScrapeAsync(string path = "/metrics")
    {
        var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"Scrape returned {(int)response.StatusCode}: {body}");
        return body;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}
