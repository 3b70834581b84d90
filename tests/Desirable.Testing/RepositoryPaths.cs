namespace Desirable.Testing;

public static class RepositoryPaths
{
    /// <summary>The checkout's root: the folder holding Desirable.sln above the test binaries.</summary>
    public static string Root { get; } = FindRoot();


    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Desirable.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Desirable.sln above {AppContext.BaseDirectory}.");
    }
}
