using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Instrumentation.Hosting;

/// <summary>
/// Registers the collectors found in the container (every <see cref="ICollector"/> singleton and every
/// <c>AddCollector&lt;T&gt;()</c> type) and the built-in collectors chosen by <see cref="MetricsOptions.Collectors"/>
/// with the registry when the host starts — before the server accepts requests, and under
/// <c>WebApplicationFactory</c> too, which starts hosted services as a real host does.
/// </summary>
internal sealed class CollectorRegistrationService(
    IServiceProvider services,
    IRegisterer registry,
    IOptions<MetricsOptions> options) : IHostedService
{
    private readonly List<IDisposable> _owned = [];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var seen = new HashSet<ICollector>(ReferenceEqualityComparer.Instance);
        foreach (var registration in services.GetServices<CollectorRegistration>())
        {
            Register(registration.Resolve(services), seen);
        }
        foreach (var collector in services.GetServices<ICollector>())
        {
            Register(collector, seen);
        }
        foreach (var collector in BuiltInCollectors.Create(options.Value.Collectors))
        {
            if (collector is IDisposable disposable)
            {
                lock (_owned)
                {
                    _owned.Add(disposable);
                }
            }
            Register(collector, seen);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // A host may be stopped twice at once (WebApplicationFactory's disposal does): take the list, then dispose.
        IDisposable[] owned;
        lock (_owned)
        {
            owned = [.. _owned];
            _owned.Clear();
        }
        foreach (var disposable in owned)
        {
            disposable.Dispose();
        }
        return Task.CompletedTask;
    }

    private void Register(ICollector collector, HashSet<ICollector> seen)
    {
        if (!seen.Add(collector))
        {
            return;
        }
        try
        {
            registry.Register(collector);
        }
        catch (AlreadyRegisteredException ex) when (ReferenceEquals(ex.ExistingCollector, collector))
        {
            // Registered already (through the factory, say): nothing to do.
        }
    }
}
