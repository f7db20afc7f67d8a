using SentryCa.Ca;

namespace SentryCa.Tests;

public class SpiffeIdTests
{
    [Fact]
    public void Parses_trust_domain_namespace_and_app()
    {
        Assert.True(SpiffeId.TryParse("spiffe://cluster.local/ns/default/orders", out var id));
        Assert.Equal(new SpiffeId("cluster.local", "default", "orders"), id);
        Assert.Equal("spiffe://cluster.local/ns/default/orders", id.ToString());
    }

    [Theory]
    [InlineData("spiffe://Cluster.Local/ns/default/orders")]
    [InlineData("spiffe:///ns/default/orders")]
    [InlineData("spiffe://cluster.local/ns//orders")]
    [InlineData("spiffe://cluster.local/ns/../orders")]
    [InlineData("spiffe://cluster.local/ns/default/orders?x=1")]
    [InlineData("spiffe://cluster.local/ns/default/")]
    public void Rejects_malformed_ids(string text)
    {
        Assert.False(SpiffeId.TryParse(text, out _));
    }
}
