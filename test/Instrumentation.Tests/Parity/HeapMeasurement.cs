namespace Instrumentation.Tests.Parity;

/// <summary>
/// Tests that compare <see cref="GC.GetTotalMemory(bool)"/> before and after a run. The live heap is the whole
/// process's, so these run alone, after the parallel tests: another class allocating (megabyte label values, say) at
/// the same moment would otherwise show up as growth.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeapMeasurement
{
    public const string Name = "Heap measurement";
}
