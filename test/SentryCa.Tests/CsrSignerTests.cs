using System.Security.Cryptography.X509Certificates;
using SentryCa.Ca;

namespace SentryCa.Tests;

public sealed class CsrSignerTests : IDisposable
{
    private readonly TempCredentials _dir = new();
    private readonly IssuerCredentials _issuer;
    private readonly CsrSigner _signer = new("cluster.local", TimeSpan.FromHours(24));

    public CsrSignerTests()
    {
        _dir.Files.Write(SelfSignedCa.Create("cluster.local", TimeSpan.FromDays(10), TimeSpan.FromDays(5)));
        _issuer = IssuerCredentials.Load(_dir.Files);
    }

    public void Dispose()
    {
        _issuer.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void Valid_csr_is_signed_and_chains_to_the_root()
    {
        var outcome = _signer.Sign(Csrs.Create(), Csrs.Identity, 3600, _issuer);

        Assert.True(outcome.Succeeded, outcome.Detail);
        var (leaf, rest) = Csrs.SplitChain(outcome.CertificateChainPem!);
        Assert.Equal(_issuer.Issuer.Thumbprint, Assert.Single(rest).Thumbprint);
        Assert.True(_issuer.ChainBuilds(leaf, DateTime.Now, out var problem), problem);
        Assert.Equal([Csrs.Identity], Csrs.UriSans(leaf));
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
    }

    [Fact]
    public void Common_name_is_accepted_when_there_is_no_uri_san()
    {
        var outcome = _signer.Sign(Csrs.Create(sanUri: null, commonName: Csrs.Identity), Csrs.Identity, 3600, _issuer);

        Assert.True(outcome.Succeeded, outcome.Detail);
    }

    [Fact]
    public void Ttl_above_the_maximum_is_cut_to_it()
    {
        var outcome = _signer.Sign(Csrs.Create(), Csrs.Identity, 10 * 24 * 3600, _issuer);

        var (leaf, _) = Csrs.SplitChain(outcome.CertificateChainPem!);
        var lifetime = leaf.NotAfter - leaf.NotBefore;
        Assert.InRange(lifetime, TimeSpan.FromHours(24), TimeSpan.FromHours(24) + TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void Csr_asking_to_be_a_ca_still_gets_a_leaf_certificate()
    {
        var csr = Csrs.Create(extra: r => r.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true)));

        var outcome = _signer.Sign(csr, Csrs.Identity, 3600, _issuer);

        var (leaf, _) = Csrs.SplitChain(outcome.CertificateChainPem!);
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
    }

    [Theory]
    [InlineData(null, Csrs.Identity, 3600L)]
    [InlineData("", Csrs.Identity, 3600L)]
    [InlineData("csr", null, 3600L)]
    [InlineData("csr", Csrs.Identity, null)]
    [InlineData("csr", Csrs.Identity, 0L)]
    [InlineData("csr", Csrs.Identity, -5L)]
    public void Missing_fields_fail_with_insufficient_data(string? csr, string? identity, long? ttl)
    {
        var outcome = _signer.Sign(csr == "csr" ? Csrs.Create() : csr, identity, ttl, _issuer);

        Assert.Equal(SignFailureReason.InsufficientData, outcome.FailureReason);
    }

    [Theory]
    [InlineData("not a csr")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----")]
    public void Unparseable_csr_fails_with_cert_parse(string csr)
    {
        Assert.Equal(SignFailureReason.CertParse, _signer.Sign(csr, Csrs.Identity, 3600, _issuer).FailureReason);
    }

    [Fact]
    public void Bad_signature_fails_with_cert_validation()
    {
        Assert.Equal(SignFailureReason.CertValidation, _signer.Sign(Csrs.WithBrokenSignature(), Csrs.Identity, 3600, _issuer).FailureReason);
    }

    [Theory]
    [InlineData("spiffe://other.domain/ns/default/orders")] // another trust domain
    [InlineData("spiffe://cluster.local/default/orders")] // no ns segment
    [InlineData("spiffe://cluster.local/ns/default/orders/extra")]
    [InlineData("https://cluster.local/ns/default/orders")]
    [InlineData("orders")]
    public void Identity_outside_the_trust_domain_or_malformed_fails_with_req_id_validation(string identity)
    {
        var outcome = _signer.Sign(Csrs.Create(sanUri: identity.Contains("://") ? identity : null, commonName: identity), identity, 3600, _issuer);

        Assert.Equal(SignFailureReason.RequestIdValidation, outcome.FailureReason);
    }

    [Fact]
    public void Csr_for_another_identity_fails_with_req_id_validation()
    {
        var outcome = _signer.Sign(Csrs.Create(sanUri: "spiffe://cluster.local/ns/default/payments"), Csrs.Identity, 3600, _issuer);

        Assert.Equal(SignFailureReason.RequestIdValidation, outcome.FailureReason);
        Assert.Contains("payments", outcome.Detail);
    }

    [Fact]
    public void Csr_with_neither_matching_san_nor_common_name_fails_with_req_id_validation()
    {
        var outcome = _signer.Sign(Csrs.Create(sanUri: null, commonName: "orders"), Csrs.Identity, 3600, _issuer);

        Assert.Equal(SignFailureReason.RequestIdValidation, outcome.FailureReason);
    }

    [Fact]
    public void No_issuer_loaded_fails_with_cert_sign()
    {
        Assert.Equal(SignFailureReason.CertSign, _signer.Sign(Csrs.Create(), Csrs.Identity, 3600, issuer: null).FailureReason);
    }
}
