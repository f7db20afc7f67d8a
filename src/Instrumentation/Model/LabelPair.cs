namespace Instrumentation;

/// <summary>One label: a name and its value.</summary>
/// <param name="Name">The label name.</param>
/// <param name="Value">The label value (any UTF-8 text, possibly empty).</param>
public readonly record struct LabelPair(string Name, string Value);
