using Microsoft.Extensions.Configuration;

namespace Desirable.AppHost;

/// <summary>
/// Where local state lives between runs: the catalog file and the emulator's data. Git ignores it; deleting it
/// (with the AppHost stopped) resets the app. Tests point it at a temporary folder.
/// </summary>
public static class DataDirectory
{
    public const string ConfigurationKey = "Desirable:DataDirectory";

    public static string Resolve(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[ConfigurationKey];
        var path = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(builder.AppHostDirectory, "..", "..", ".data")
            : configured;
        return Path.GetFullPath(path);
    }
}
