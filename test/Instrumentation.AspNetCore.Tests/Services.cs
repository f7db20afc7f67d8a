using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Instrumentation.AspNetCore.Tests;

/// <summary>A bare service provider with AddMetricsRegistry, for tests that need no HTTP.</summary>
internal static class Services
{
    public static ServiceProvider Build(IDictionary<string, string?>? configuration = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build());
        services.AddLogging();
        services.AddMetricsRegistry();
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public static IReadOnlyList<Sample> Scrape(this IServiceProvider services) =>
        Exposition.Parse(Exposition.Text(services.GetRequiredService<Registry>().Gather()));
}
