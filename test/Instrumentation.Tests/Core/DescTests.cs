namespace Instrumentation.Tests.Core;

public class DescTests
{
    [Theory]
    [InlineData("ns", "sub", "name", "ns_sub_name")]
    [InlineData("", "sub", "name", "sub_name")]
    [InlineData("ns", null, "name", "ns_name")]
    [InlineData(null, null, "name", "name")]
    [InlineData("ns", "sub", "", "")]
    public void BuildFqName_joins_non_empty_parts(string? ns, string? sub, string name, string expected) =>
        Assert.Equal(expected, Desc.BuildFqName(ns, sub, name));

    [Fact]
    public void Valid_desc_has_no_error_and_sorted_const_labels()
    {
        var desc = new Desc("http_requests_total", "Requests.", ["code"], new Dictionary<string, string> { ["zone"] = "b", ["app"] = "a" });
        Assert.Null(desc.Error);
        Assert.Equal(["app", "zone"], desc.ConstLabels.Select(p => p.Name));
        Assert.Equal(["code"], desc.VariableLabels);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("with-dash")]
    [InlineData("")]
    [InlineData("has space")]
    public void Invalid_metric_name_is_carried_as_error(string name)
    {
        var desc = new Desc(name, "help", null, null);
        Assert.NotNull(desc.Error);
        Assert.Contains("not a valid metric name", desc.Error);
    }

    [Theory]
    [InlineData("a:b")]
    [InlineData(":colon_first")]
    [InlineData("_under")]
    public void Colons_and_underscores_are_valid_in_metric_names(string name) =>
        Assert.Null(new Desc(name, "help", null, null).Error);

    [Fact]
    public void Reserved_label_prefix_is_an_error()
    {
        var desc = new Desc("m", "h", ["__reserved"], null);
        Assert.Contains("reserved prefix", desc.Error);
        Assert.Contains("__reserved", desc.Error);
    }

    [Fact]
    public void Invalid_label_name_is_an_error_naming_label_and_metric()
    {
        var desc = new Desc("m", "h", ["bad-label"], null);
        Assert.Contains("bad-label", desc.Error);
        Assert.Contains("\"m\"", desc.Error);
    }

    [Fact]
    public void Duplicate_variable_label_is_an_error()
    {
        var desc = new Desc("m", "h", ["a", "a"], null);
        Assert.Contains("duplicate label name \"a\"", desc.Error);
    }

    [Fact]
    public void Const_label_that_is_also_variable_is_an_error()
    {
        var desc = new Desc("m", "h", ["a"], new Dictionary<string, string> { ["a"] = "x" });
        Assert.Contains("both a const label and a variable label", desc.Error);
    }

    [Fact]
    public void Empty_help_is_allowed() => Assert.Null(new Desc("m", "", null, null).Error);

    [Fact]
    public void Id_depends_on_name_and_const_label_values_only()
    {
        var a = new Desc("m", "h1", ["x"], new Dictionary<string, string> { ["c"] = "1" });
        var b = new Desc("m", "h2", ["y"], new Dictionary<string, string> { ["c"] = "1" });
        var c = new Desc("m", "h1", ["x"], new Dictionary<string, string> { ["c"] = "2" });
        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, c.Id);
    }

    [Fact]
    public void DimHash_depends_on_help_and_label_names_not_const_values()
    {
        var a = new Desc("m", "h", ["x"], new Dictionary<string, string> { ["c"] = "1" });
        var b = new Desc("m", "h", ["x"], new Dictionary<string, string> { ["c"] = "2" });
        var c = new Desc("m", "other help", ["x"], new Dictionary<string, string> { ["c"] = "1" });
        var d = new Desc("m", "h", ["y"], new Dictionary<string, string> { ["c"] = "1" });
        Assert.Equal(a.DimHash, b.DimHash);
        Assert.NotEqual(a.DimHash, c.DimHash);
        Assert.NotEqual(a.DimHash, d.DimHash);
    }

    [Fact]
    public void Utf8_names_are_an_error_only_under_the_legacy_scheme()
    {
        var desc = new Desc("my.metric", "h", ["label.name"], null);
        Assert.NotNull(desc.ErrorUnder(NameValidationScheme.Legacy));
        Assert.Null(desc.ErrorUnder(NameValidationScheme.Utf8));
    }

    [Fact]
    public void Unit_must_be_a_name_suffix()
    {
        Assert.Null(new Desc("request_duration_seconds", "h", null, null, "seconds").Error);
        Assert.Null(new Desc("sent_bytes_total", "h", null, null, "bytes").Error);
        Assert.Contains("unit \"seconds\"", new Desc("request_duration", "h", null, null, "seconds").Error);
    }
}
