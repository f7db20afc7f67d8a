namespace Instrumentation.Tests.Core;

public sealed class RegisterOrGetExistingTests
{
    [Fact]
    public void Registers_a_new_collector_and_returns_the_equal_one_already_registered_the_second_time()
    {
        var registry = new Registry();
        var first = registry.RegisterOrGetExisting(new CounterVec(new CounterOptions { Name = "jobs_total", Help = "Jobs." }, ["queue"]));
        first.WithLabels("mail").Inc();

        var second = registry.RegisterOrGetExisting(new CounterVec(new CounterOptions { Name = "jobs_total", Help = "Jobs." }, ["queue"]));

        Assert.Same(first, second);
        Assert.Equal(1, second.WithLabels("mail").Value);
    }

    [Fact]
    public void An_equal_collector_of_another_type_or_an_inconsistent_one_still_throws()
    {
        var registry = new Registry();
        registry.RegisterOrGetExisting(new Counter(new CounterOptions { Name = "x_total", Help = "X." }));

        Assert.Throws<AlreadyRegisteredException>(() => registry.RegisterOrGetExisting(new Gauge(new GaugeOptions { Name = "x_total", Help = "X." })));
        Assert.ThrowsAny<ArgumentException>(() => registry.RegisterOrGetExisting(new Counter(new CounterOptions { Name = "x_total", Help = "Other help." })));
    }
}
