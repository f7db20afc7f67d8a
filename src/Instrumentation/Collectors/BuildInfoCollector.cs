using System.Reflection;
using System.Runtime.InteropServices;

namespace Instrumentation.Collectors;

/// <summary>
/// Exposes <c>dotnet_build_info</c>, a gauge of value 1 whose labels say what is running: the runtime's
/// <c>version</c> (<see cref="Environment.Version"/>), the <c>runtime</c> identifier
/// (<see cref="RuntimeInformation.RuntimeIdentifier"/>, e.g. <c>linux-x64</c>), the <c>framework</c>
/// (<see cref="RuntimeInformation.FrameworkDescription"/>, e.g. <c>.NET 10.0.0</c>), and the entry assembly's name
/// (<c>assembly</c>) and version (<c>assembly_version</c>: its informational version when it has one, else its
/// assembly version). Join it to other series with <c>* on(instance) group_left(version) dotnet_build_info</c>.
/// </summary>
/// <remarks>
/// The labels are read once, at construction. When there is no entry assembly (a host started from native code) the
/// two assembly labels are empty, which Prometheus treats as absent. Checked collector.
/// </remarks>
public sealed class BuildInfoCollector : ICollector
{
    private readonly Desc _desc = new("dotnet_build_info",
        "Build information about the running program: runtime version, runtime identifier, framework and entry assembly; the value is always 1.",
        ["version", "runtime", "framework", "assembly", "assembly_version"], null);

    private readonly IMetric _metric;

    /// <summary>Creates the collector, describing <see cref="Assembly.GetEntryAssembly"/>.</summary>
    public BuildInfoCollector()
    {
        var entry = Assembly.GetEntryAssembly();
        var name = entry?.GetName();
        var version = entry?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? name?.Version?.ToString()
            ?? "";
        _metric = ConstMetric.Gauge(_desc, 1,
            Environment.Version.ToString(),
            RuntimeInformation.RuntimeIdentifier,
            RuntimeInformation.FrameworkDescription,
            name?.Name ?? "",
            version);
    }

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() => [_desc];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect() => [_metric];
}
