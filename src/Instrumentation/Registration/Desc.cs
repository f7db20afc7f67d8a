using System.Text;

namespace Instrumentation;

/// <summary>
/// The immutable descriptor of a metric: its fully-qualified name, help, const labels and variable label names.
/// Every metric a collector produces carries one; the registry uses them to detect conflicts before a scrape can.
/// </summary>
/// <remarks>
/// As in the reference Go client, a descriptor built from bad input (an invalid name, a duplicate label, a const
/// label that is also variable) is still constructed: it carries its problem in <see cref="Error"/>, and
/// <see cref="IRegisterer.Register"/> reports it. Constructors of metrics therefore stay simple and the user gets one
/// clear message at registration.
/// </remarks>
public sealed class Desc : IEquatable<Desc>
{
    private readonly string? _legacyError;
    private readonly string? _utf8Error;

    /// <summary>Creates a descriptor.</summary>
    /// <param name="fqName">The fully-qualified metric name (see <see cref="BuildFqName"/>).</param>
    /// <param name="help">The help text; may be empty.</param>
    /// <param name="variableLabels">Names of the labels whose values are set per series; null for none.</param>
    /// <param name="constLabels">Labels with a fixed value on every series; null for none.</param>
    /// <param name="unit">The unit for OpenMetrics' <c># UNIT</c> line, or null.</param>
    public Desc(string fqName, string help, IReadOnlyList<string>? variableLabels, IReadOnlyDictionary<string, string>? constLabels, string? unit = null)
        : this(fqName, help, variableLabels, constLabels, unit, extraError: null)
    {
    }

    /// <summary>Creates a descriptor that carries <paramref name="extraError"/> besides whatever its input is wrong with.</summary>
    internal Desc(string fqName, string help, IReadOnlyList<string>? variableLabels, IReadOnlyDictionary<string, string>? constLabels, string? unit, string? extraError)
    {
        FqName = fqName ?? "";
        Help = help ?? "";
        Unit = string.IsNullOrEmpty(unit) ? null : unit;
        VariableLabels = variableLabels is null ? [] : [.. variableLabels];

        var constPairs = constLabels is null
            ? []
            : constLabels.Select(kv => new LabelPair(kv.Key, kv.Value)).OrderBy(p => p.Name, CodePointOrder.Instance).ToArray();
        ConstLabels = constPairs;
        CarriedError = extraError;

        (_legacyError, _utf8Error) = Validate(FqName, Unit, constPairs, VariableLabels);
        if (extraError is not null)
        {
            _legacyError ??= extraError;
            _utf8Error ??= extraError;
        }

        // Id: name and const label values (in const label name order). Two descs with equal Id describe the same
        // series space; the registry allows one of them only. Every string is hashed with its length first, so no
        // character a value may contain can make two different lists of strings hash the same characters.
        var id = new Fnv64();
        id.Add(FqName);
        id.Add(constPairs.Length);
        foreach (var pair in constPairs)
        {
            id.Add(pair.Value);
        }
        Id = id.Hash;

        // DimHash: help and all label names. Descs of the same name must agree on it. As in the reference client the
        // names are hashed sorted, so the order variable labels are declared in does not matter; const and variable
        // names are hashed as two counted lists, so moving a name from one kind to the other changes the hash.
        var dim = new Fnv64();
        dim.Add(Help);
        dim.Add(constPairs.Length);
        foreach (var pair in constPairs)
        {
            dim.Add(pair.Name);
        }
        var variableNames = VariableLabels.ToArray();
        Array.Sort(variableNames, CodePointOrder.Instance);
        dim.Add(variableNames.Length);
        foreach (var name in variableNames)
        {
            dim.Add(name);
        }
        DimHash = dim.Hash;
    }

    /// <summary>The fully-qualified metric name.</summary>
    public string FqName { get; }

    /// <summary>The help text.</summary>
    public string Help { get; }

    /// <summary>The unit, or null.</summary>
    public string? Unit { get; }

    /// <summary>Const label pairs, sorted by name.</summary>
    public IReadOnlyList<LabelPair> ConstLabels { get; }

    /// <summary>Variable label names, in the order their values are given.</summary>
    public IReadOnlyList<string> VariableLabels { get; }

    /// <summary>Hash of the name and const label values: the identity of the series space this desc describes.</summary>
    public ulong Id { get; }

    /// <summary>
    /// Hash of the help text and all label names, const and variable, in name order: descs of the same name must
    /// share it.
    /// </summary>
    public ulong DimHash { get; }

    /// <summary>
    /// The error this descriptor was built with on top of what its own input is wrong with (a label conflict found
    /// by wrapping), or null; a wrapper around this descriptor carries it outward.
    /// </summary>
    internal string? CarriedError { get; }

    /// <summary>What this descriptor becomes under the wrap levels it was seen through (see <see cref="WrapLevel"/>).</summary>
    internal WrapCacheEntry<Desc>? WrapCache;

    /// <summary>
    /// What is wrong with this descriptor under the <see cref="NameValidationScheme.Legacy"/> rules, or null.
    /// Registration reports it.
    /// </summary>
    public string? Error => _legacyError;

    /// <summary>What is wrong with this descriptor under <paramref name="scheme"/>, or null.</summary>
    public string? ErrorUnder(NameValidationScheme scheme) => scheme == NameValidationScheme.Utf8 ? _utf8Error : _legacyError;

    /// <summary>
    /// Builds a fully-qualified name from its parts, joined by <c>_</c>; empty parts are left out. An empty
    /// <paramref name="name"/> gives an empty result, as in the reference client.
    /// </summary>
    public static string BuildFqName(string? ns, string? subsystem, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "";
        }
        if (string.IsNullOrEmpty(ns) && string.IsNullOrEmpty(subsystem))
        {
            return name;
        }
        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(ns))
        {
            sb.Append(ns).Append('_');
        }
        if (!string.IsNullOrEmpty(subsystem))
        {
            sb.Append(subsystem).Append('_');
        }
        return sb.Append(name).ToString();
    }

    private static (string? Legacy, string? Utf8) Validate(string fqName, string? unit, LabelPair[] constLabels, IReadOnlyList<string> variableLabels)
    {
        string? utf8 = null;
        string? legacy = null;

        void Fail(string message, bool alsoUtf8)
        {
            legacy ??= message;
            if (alsoUtf8)
            {
                utf8 ??= message;
            }
        }

        if (!MetricNames.IsValidMetricName(fqName, NameValidationScheme.Utf8))
        {
            Fail($"\"{fqName}\" is not a valid metric name: it is empty or not well-formed UTF-8", alsoUtf8: true);
        }
        else if (!MetricNames.IsLegacyMetricName(fqName))
        {
            Fail($"\"{fqName}\" is not a valid metric name: it must match ^[a-zA-Z_:][a-zA-Z0-9_:]*$", alsoUtf8: false);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in constLabels)
        {
            CheckLabelName(pair.Name, "const", fqName, Fail);
            if (!MetricNames.IsWellFormedUtf16(pair.Value))
            {
                Fail($"const label value \"{pair.Value}\" of label \"{pair.Name}\" of metric \"{fqName}\" is not valid UTF-8", alsoUtf8: true);
            }
            seen.Add(pair.Name);
        }
        foreach (var name in variableLabels)
        {
            CheckLabelName(name, "variable", fqName, Fail);
            if (!seen.Add(name))
            {
                var isConst = Array.Exists(constLabels, p => p.Name == name);
                Fail(isConst
                    ? $"label \"{name}\" of metric \"{fqName}\" is both a const label and a variable label"
                    : $"duplicate label name \"{name}\" in the variable labels of metric \"{fqName}\"", alsoUtf8: true);
            }
        }
        if (unit is not null && !fqName.EndsWith("_" + unit, StringComparison.Ordinal) && !fqName.EndsWith("_" + unit + "_total", StringComparison.Ordinal))
        {
            Fail($"metric \"{fqName}\" has unit \"{unit}\" but its name does not end with \"_{unit}\" (OpenMetrics requires the unit as a name suffix)", alsoUtf8: true);
        }
        return (legacy, utf8);
    }

    private static void CheckLabelName(string name, string kind, string fqName, Action<string, bool> fail)
    {
        if (!MetricNames.IsValidLabelName(name, NameValidationScheme.Utf8))
        {
            fail($"{kind} label name \"{name}\" of metric \"{fqName}\" is empty or not well-formed UTF-8", true);
        }
        else if (MetricNames.IsReservedLabelName(name))
        {
            fail($"{kind} label name \"{name}\" of metric \"{fqName}\" uses the reserved prefix \"__\"", true);
        }
        else if (!MetricNames.IsLegacyLabelName(name))
        {
            fail($"{kind} label name \"{name}\" of metric \"{fqName}\" is invalid: it must match ^[a-zA-Z_][a-zA-Z0-9_]*$", false);
        }
    }

    /// <inheritdoc />
    public bool Equals(Desc? other) => other is not null && Id == other.Id && DimHash == other.DimHash && FqName == other.FqName;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Desc d && Equals(d);

    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode();

    /// <inheritdoc />
    public override string ToString() =>
        $"Desc{{fqName: \"{FqName}\", help: \"{Help}\", constLabels: {{{string.Join(",", ConstLabels.Select(p => $"{p.Name}=\"{p.Value}\""))}}}, variableLabels: {{{string.Join(",", VariableLabels)}}}}}";

    /// <summary>
    /// 64-bit FNV-1a over UTF-16 code units: cheap, stable across processes (unlike string.GetHashCode). Strings are
    /// hashed length first, so a list of strings hashes differently from any other list.
    /// </summary>
    private struct Fnv64
    {
        private const ulong Offset = 14695981039346656037UL;
        private const ulong Prime = 1099511628211UL;
        private ulong _hash;
        private bool _started;

        public readonly ulong Hash => _started ? _hash : Offset;

        public void Add(int value)
        {
            Add((char)value);
            Add((char)(value >> 16));
        }

        private void Add(char c)
        {
            if (!_started)
            {
                _hash = Offset;
                _started = true;
            }
            _hash = (_hash ^ (byte)c) * Prime;
            _hash = (_hash ^ (byte)(c >> 8)) * Prime;
        }

        public void Add(string s)
        {
            Add(s.Length);
            foreach (var c in s)
            {
                Add(c);
            }
        }
    }
}
