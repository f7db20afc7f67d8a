using SentryCa.Ca;

namespace SentryCa.Tests;

/// <summary>A fresh temporary credentials directory, deleted on dispose.</summary>
internal sealed class TempCredentials : IDisposable
{
    public TempCredentials()
    {
        Directory = Path.Combine(Path.GetTempPath(), "sentryca-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Files = new CredentialFiles(Directory);
    }

    public string Directory { get; }

    public CredentialFiles Files { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold the directory for a moment; the temp folder is cleaned eventually.
        }
    }
}
