namespace Instrumentation.Tests.Core;

/// <summary>
/// The lock-free child table of labelled families: children must stay findable (the same instance) across table
/// growth and removals from the middle of a bucket's chain, and equal values must find the child whether or not they
/// are the same string instances.
/// </summary>
public class ChildLookupTests
{
    [Fact]
    public void Children_survive_growth_and_removal_of_their_neighbours()
    {
        var vec = new CounterVec(new CounterOptions { Name = "c_total", Help = "C." }, ["a", "b"]);
        var children = new Dictionary<int, Counter>();
        for (var i = 0; i < 2000; i++)
        {
            children[i] = vec.WithLabels("v" + i, (i % 7).ToString());
        }
        for (var i = 0; i < 2000; i += 3)
        {
            Assert.True(vec.Remove("v" + i, (i % 7).ToString()));
            Assert.False(vec.Remove("v" + i, (i % 7).ToString()));
        }

        Assert.Equal(2000 - 667, vec.Count);
        Assert.Equal(2000 - 667, vec.Collect().Count());
        for (var i = 0; i < 2000; i++)
        {
            var found = vec.WithLabels("v" + i, (i % 7).ToString());
            Assert.Equal(i % 3 != 0, ReferenceEquals(children[i], found));
        }
        Assert.Equal(2000, vec.Count);
    }

    [Fact]
    public void Equal_values_in_other_string_instances_find_the_same_child()
    {
        var vec = new CounterVec(new CounterOptions { Name = "c_total", Help = "C." }, ["method", "route", "code"]);
        var child = vec.WithLabels("GET", "/api/orders/{id}", "200");
        var copies = new[] { new string("GET".AsSpan()), new string("/api/orders/{id}".AsSpan()), new string("200".AsSpan()) };

        Assert.Same(child, vec.WithLabels(copies));
        Assert.NotSame(child, vec.WithLabels("GET", "/api/orders/{id}", "201"));
        Assert.NotSame(child, vec.WithLabels("200", "/api/orders/{id}", "GET"));
        Assert.Equal(3, vec.Count);
    }

    [Fact]
    public void Values_of_every_length_are_found_again_from_fresh_string_instances()
    {
        // The hash reads whole words (short values with their terminating NUL, long ones ending in an overlapping
        // word): it must depend on the characters alone, never on what lies beyond them.
        var vec = new CounterVec(new CounterOptions { Name = "c_total", Help = "C." }, ["a", "b"]);
        var children = new List<Counter>();
        for (var length = 0; length <= 40; length++)
        {
            var value = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i * 7 + length) % 26)));
            children.Add(vec.WithLabels(value, "x" + value));
        }

        for (var length = 0; length <= 40; length++)
        {
            var value = string.Concat(Enumerable.Range(0, length).Select(i => (char)('a' + (i * 7 + length) % 26)));
            Assert.Same(children[length], vec.WithLabels(new string(value.AsSpan()), new string(("x" + value).AsSpan())));
        }
        Assert.Equal(41, vec.Count);
    }

    [Fact]
    public void Values_differing_only_in_length_or_trailing_characters_are_different_children()
    {
        var vec = new CounterVec(new CounterOptions { Name = "c_total", Help = "C." }, ["a"]);
        string[] values = ["", "a", "a\0", "ab", "abc", "abcd", "abcde", "abcdefgh", "abcdefghi", "\0"];
        var children = values.Select(v => vec.WithLabels(v)).ToList();

        Assert.Equal(values.Length, children.Distinct().Count());
        Assert.Equal(values.Length, vec.Count);
    }

    [Fact]
    public async Task Lookups_running_while_other_threads_create_and_remove_children_always_find_live_ones()
    {
        var vec = new GaugeVec(new GaugeOptions { Name = "g", Help = "G." }, ["k"]);
        var stable = vec.WithLabels("stable");
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                vec.WithLabels("churn" + (i % 500));
                if (i % 3 == 0)
                {
                    vec.Remove("churn" + ((i + 250) % 500));
                }
            }
        });
        for (var i = 0; i < 50_000; i++)
        {
            Assert.Same(stable, vec.WithLabels("stable"));
        }
        stop.Cancel();
        await churn;
    }

    [Fact]
    public void Collect_yields_children_in_label_name_then_value_order_and_sees_new_and_removed_ones()
    {
        // Declared as (zone, app) but scraped in name order: app first, then zone.
        var vec = new CounterVec(new CounterOptions { Name = "c_total", Help = "C." }, ["zone", "app"]);
        vec.WithLabels("b", "y");
        vec.WithLabels("a", "z");
        vec.WithLabels("c", "x");
        vec.WithLabels("a", "x");

        static string[] Order(CounterVec v) => [.. v.Collect().Cast<Counter>().Select(c => c.Labels.GetValue("app") + c.Labels.GetValue("zone"))];

        Assert.Equal(["xa", "xc", "yb", "za"], Order(vec));
        vec.WithLabels("0", "x");
        Assert.True(vec.Remove("b", "y"));
        Assert.Equal(["x0", "xa", "xc", "za"], Order(vec));
    }
}
