namespace Desirable.Testing;

/// <summary>
/// One fauxqs process for every in-process service test of this run. The services read the standard AWS
/// environment variables, which are process-wide, so all fixtures must point at the same emulator; they keep
/// apart by bucket and queue names of their own.
/// </summary>
public static class SharedFauxqs
{
    private static readonly Lazy<Task<FauxqsEmulator>> Emulator = new(StartAsync);

    public static string S3StorageDirectory { get; } = Directory.CreateTempSubdirectory("desirable-fauxqs-").FullName;

    public static Task<FauxqsEmulator> GetAsync() => Emulator.Value;

    private static async Task<FauxqsEmulator> StartAsync()
    {
        var emulator = await FauxqsEmulator.StartAsync(S3StorageDirectory, CancellationToken.None);
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", emulator.ServiceUrl.ToString());
        Environment.SetEnvironmentVariable("AWS_REGION", FauxqsEmulator.Region);
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "test");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "test");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
            try
            {
                Directory.Delete(S3StorageDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Best effort at exit.
            }
        };
        return emulator;
    }
}
