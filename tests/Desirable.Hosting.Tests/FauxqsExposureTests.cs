using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Desirable.Hosting.Tests;

/// <summary>
/// The embedded emulator checks no credentials, so it must not be reachable from the developer's network: it listens
/// on loopback only (fauxqs itself would take every interface).
/// </summary>
public sealed class FauxqsExposureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheEmulatorAnswersOnLoopbackAndRefusesEveryOtherAddressOfThisMachine()
    {
        var elsewhere = NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == OperationalStatus.Up && i.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (elsewhere is null)
        {
            Assert.Skip("This machine has no address but loopback, so there is nothing to be exposed on.");
        }

        await using var emulator = await FauxqsEmulator.StartInTemporaryFolderAsync(Ct);
        var port = emulator.ServiceUrl.Port;

        using (var loopback = new TcpClient())
        {
            await loopback.ConnectAsync(IPAddress.Loopback, port, Ct);
        }

        using var outside = new TcpClient();
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await outside.ConnectAsync(elsewhere, port, Ct));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
