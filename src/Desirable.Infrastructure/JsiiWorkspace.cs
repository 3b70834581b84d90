using Amazon.JSII.Runtime.Services;

namespace Desirable.Infrastructure;

/// <summary>
/// jsii, the bridge between the CDK's .NET API and its JavaScript implementation, extracts every CDK package's tarball
/// (about 64 MB) into a fresh folder under the temp directory and deletes it only when its service provider is
/// disposed, which its own default provider never is: every synthesis (each AppHost start, each test process) left
/// 64 MB behind, and a day of test runs filled the disk. This provider is disposed when the process exits, which
/// removes the folder and ends jsii's Node process.
/// </summary>
public static class JsiiWorkspace
{
    private static readonly Lock Gate = new();

    /// <summary>Call before the first CDK construct of the process; later calls do nothing.</summary>
    public static void CleanUpAtExit()
    {
        lock (Gate)
        {
            if (ServiceContainer.ServiceProviderOverride is not null)
            {
                return;
            }

            var provider = ServiceContainer.BuildServiceProvider();
            ServiceContainer.ServiceProviderOverride = provider;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => provider.Dispose();
        }
    }
}
