using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Instrumentation.Hosting;

/// <summary>
/// Binds <see cref="MetricsOptions"/> to the <c>Metrics</c> section of the container's <see cref="IConfiguration"/>
/// when there is one. A bare <see cref="ServiceCollection"/> (a console tool, a test) has none: the options then come
/// from code only, where <c>BindConfiguration</c> would fail to resolve <see cref="IConfiguration"/>.
/// </summary>
internal sealed class MetricsOptionsSetup(IServiceProvider services) : IConfigureOptions<MetricsOptions>
{
    public void Configure(MetricsOptions options)
    {
        if (services.GetService<IConfiguration>() is { } configuration)
        {
            configuration.GetSection(MetricsOptions.SectionName).Bind(options);
        }
    }
}
