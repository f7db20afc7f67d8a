namespace Instrumentation;

/// <summary>One state of a stateset in the gathered data model.</summary>
/// <param name="Name">The state's name (written as the value of the label named after the family).</param>
/// <param name="Enabled">Whether the state is set.</param>
public readonly record struct StateValue(string Name, bool Enabled);
