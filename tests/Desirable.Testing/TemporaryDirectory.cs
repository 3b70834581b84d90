namespace Desirable.Testing;

/// <summary>A fresh folder under the system's temporary folder, deleted with its contents when disposed.</summary>
public sealed class TemporaryDirectory(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose() => TryDelete(Path);

    /// <summary>Deletes the folder if it can; a file still held open by a process that has not ended stays behind.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the system's temporary-folder cleanup.
        }
    }
}
