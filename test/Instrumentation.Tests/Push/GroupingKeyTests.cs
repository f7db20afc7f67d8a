using Instrumentation.Push;

namespace Instrumentation.Tests.Push;

public class GroupingKeyTests
{
    [Fact]
    public void Path_has_job_then_labels_sorted_by_name()
    {
        var key = new GroupingKey("nightly_backup", new Dictionary<string, string> { ["zone"] = "eu", ["instance"] = "db1" });

        Assert.Equal("metrics/job/nightly_backup/instance/db1/zone/eu", key.ToPath());
    }

    [Fact]
    public void Value_with_slash_uses_base64_url_safe_form_without_padding()
    {
        var key = new GroupingKey("cleaner", new Dictionary<string, string> { ["path"] = "/var/tmp" });

        // "/var/tmp" in base64 is "L3Zhci90bXA=" — the URL form drops the padding.
        Assert.Equal("metrics/job/cleaner/path@base64/L3Zhci90bXA", key.ToPath());
    }

    [Fact]
    public void Base64_uses_url_safe_alphabet()
    {
        // "x/??>" is "eC8_Pz4=" in the URL-safe alphabet ("eC8/Pz4=" in the standard one).
        var key = new GroupingKey("j", new Dictionary<string, string> { ["q"] = "x/??>" });

        Assert.Equal("metrics/job/j/q@base64/eC8_Pz4", key.ToPath());
    }

    [Fact]
    public void Empty_value_is_written_as_base64_equals_sign()
    {
        var key = new GroupingKey("job1", new Dictionary<string, string> { ["instance"] = "" });

        Assert.Equal("metrics/job/job1/instance@base64/=", key.ToPath());
    }

    [Fact]
    public void Job_name_with_slash_uses_base64_form()
    {
        var key = new GroupingKey("a/b");

        Assert.Equal("metrics/job@base64/YS9i", key.ToPath());
    }

    [Fact]
    public void Other_special_characters_are_percent_encoded()
    {
        var key = new GroupingKey("my job", new Dictionary<string, string> { ["instance"] = "host:80?x#y" });

        Assert.Equal("metrics/job/my%20job/instance/host%3A80%3Fx%23y", key.ToPath());
    }

    [Fact]
    public void Empty_job_throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new GroupingKey(""));
        Assert.Contains("job name", e.Message);
    }

    [Fact]
    public void Job_as_grouping_label_throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new GroupingKey("j", new Dictionary<string, string> { ["job"] = "x" }));
        Assert.Contains("\"job\"", e.Message);
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("with-dash")]
    [InlineData("__reserved")]
    public void Invalid_grouping_label_name_throws_naming_it(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new GroupingKey("j", new Dictionary<string, string> { [name] = "x" }));
        Assert.Contains(name, e.Message);
    }
}
