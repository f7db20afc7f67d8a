using SentryCa.Ca;

namespace SentryCa.Tests;

public sealed class IssuerCredentialsTests : IDisposable
{
    private readonly TempCredentials _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Self_signed_set_loads_and_issuer_chains_to_root()
    {
        _dir.Files.Write(SelfSignedCa.Create("cluster.local", TimeSpan.FromDays(10), TimeSpan.FromDays(5)));

        using var credentials = IssuerCredentials.Load(_dir.Files);

        Assert.True(credentials.Issuer.HasPrivateKey);
        Assert.InRange(credentials.IssuerExpiryUnixSeconds,
            DateTimeOffset.UtcNow.AddDays(5).ToUnixTimeSeconds() - 120, DateTimeOffset.UtcNow.AddDays(5).ToUnixTimeSeconds());
    }

    [Fact]
    public void Key_of_another_issuer_is_refused_naming_the_key_file()
    {
        var first = SelfSignedCa.Create("cluster.local", TimeSpan.FromDays(10), TimeSpan.FromDays(5));
        var second = SelfSignedCa.Create("cluster.local", TimeSpan.FromDays(10), TimeSpan.FromDays(5));
        _dir.Files.Write(first with { IssuerKeyPem = second.IssuerKeyPem });

        var e = Assert.Throws<InvalidDataException>(() => IssuerCredentials.Load(_dir.Files));

        Assert.Contains(CredentialFiles.IssuerKeyName, e.Message);
    }

    [Fact]
    public void Issuer_of_another_root_is_refused()
    {
        var first = SelfSignedCa.Create("cluster.local", TimeSpan.FromDays(10), TimeSpan.FromDays(5));
        var second = SelfSignedCa.Create("cluster.local", TimeSpan.FromDays(10), TimeSpan.FromDays(5));
        _dir.Files.Write(first with { RootCertPem = second.RootCertPem });

        var e = Assert.Throws<InvalidDataException>(() => IssuerCredentials.Load(_dir.Files));

        Assert.Contains("does not chain", e.Message);
    }

    [Fact]
    public void Garbage_certificate_is_refused_naming_the_file()
    {
        _dir.Files.Write(SelfSignedCa.Create("cluster.local", TimeSpan.FromDays(10), TimeSpan.FromDays(5)));
        File.WriteAllText(_dir.Files.IssuerCertPath, "garbage");

        var e = Assert.Throws<InvalidDataException>(() => IssuerCredentials.Load(_dir.Files));

        Assert.Contains(CredentialFiles.IssuerCertName, e.Message);
    }
}
