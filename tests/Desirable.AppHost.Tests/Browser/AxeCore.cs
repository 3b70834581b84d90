using System.Text.Json;
using Microsoft.Playwright;

namespace Desirable.AppHost.Tests.Browser;

/// <summary>
/// axe-core, the accessibility checker, from npm (pinned by Browser/package-lock.json, installed into the test output on
/// first use). It goes into a page as an init script, which the page's content security policy does not apply to.
/// </summary>
public static class AxeCore
{
    private static readonly Lazy<Task<string>> Script = new(InstallAsync);

    /// <summary>Makes axe available in every document the page loads from now on.</summary>
    public static async Task AddToAsync(IPage page) => await page.AddInitScriptAsync(await Script.Value);

    /// <summary>The serious and critical violations on the page as it is now, one line each (empty when none).</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        var result = await page.EvaluateAsync<JsonElement>(
            "async () => await axe.run(document, { resultTypes: ['violations'] })");
        return
        [
            .. result.GetProperty("violations").EnumerateArray()
                .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
                .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): " +
                    string.Join("; ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("html").GetString()))),
        ];
    }

    private static async Task<string> InstallAsync()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Browser");
        await NpmCi.InstallAsync(folder, ["--no-audit", "--no-fund"], CancellationToken.None);
        return await File.ReadAllTextAsync(Path.Combine(folder, "node_modules", "axe-core", "axe.min.js"));
    }
}
