using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Desirable.Media.Catalog;
using Desirable.Media.Catalog.Sqlite;
using Desirable.Media.Model;
using Desirable.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// The list queries the gallery makes, at a large library: Alice owns --items items (100,000) in the embedded SQLite
// catalog, Bob a tenth of that. Each query goes straight to the media service (no gateway), one client, --rounds
// times; p50 and p99 per query. Beside it, in the same run: the same queries on the same file in-process (the
// catalog alone, without HTTP, sign-in and JSON), and the status filter forced through the owner's index alone, as
// every status filter ran before the catalog had status and kind indexes.
//
//   dotnet run -c Release --project bench/Desirable.ListBench [-- --items 100000 --rounds 200] [--smoke]
//
// --smoke: 2,000 items, 20 rounds; the test run uses it so that the benchmark cannot break unseen.
// Target (issue 16): p99 under 10 ms for each query through the media service.

var smoke = args.Contains("--smoke");
var items = smoke ? 2_000 : Option("--items", 100_000);
var rounds = smoke ? 20 : Option("--rounds", 200);
const string Alice = "auth0|alice";
const string Bob = "auth0|bob";
const int PageSize = 50;

var data = Directory.CreateTempSubdirectory("desirable-listbench-").FullName;
try
{
    Console.WriteLine($"Desirable list benchmark · {Environment.ProcessorCount} cores · .NET {Environment.Version} · " +
        $"{items:N0} items of Alice's, {items / 10:N0} of Bob's · {rounds} rounds per query · pages of {PageSize}");

    var catalogPath = Path.Combine(data, "catalog", "catalog.db");
    var catalog = new SqliteMediaCatalog(new SqliteCatalogOptions($"Data Source={catalogPath}"));
    var seeding = Stopwatch.StartNew();
    await SeedAsync(catalog, items);
    Console.WriteLine($"Seeded in {seeding.Elapsed.TotalSeconds:0.0} s. Starting the AppHost in embedded mode on that catalog…");

    // Lists only: no processor (its reconciler would read the catalog too while the queries are timed).
    var builder = (await BenchmarkAppHost.CreateEmbeddedAsync<Projects.Desirable_AppHost>(data)).WithoutProcessor();
    await using var app = await builder.BuildAsync();
    await app.StartAsync();
    await app.ResourceNotifications.WaitForResourceHealthyAsync("media");

    using var issuer = app.CreateHttpClient("identity");
    using var media = new HttpClient { BaseAddress = app.GetEndpoint("media", "http") };
    media.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
        "Bearer", await Desirable.Testing.ClientCredentials.TokenAsync(issuer, Alice, CancellationToken.None));

    // The cursors of pages deep in the list, taken once, so that "next pages" times a page at that depth.
    var deepCursor = await CursorAfterAsync(media, "", pages: 10);
    var failedCursor = await CursorAfterAsync(media, "&status=Failed", pages: 1);

    var queries = new (string Name, string Query, MediaListQuery InProcess)[]
    {
        ("first page", "", new MediaListQuery(Alice, PageSize)),
        ("page 11", $"&cursor={deepCursor.Encoded}", new MediaListQuery(Alice, PageSize, deepCursor.Position)),
        ("videos", "&kind=Video", new MediaListQuery(Alice, PageSize, Kind: MediaKind.Video)),
        ("failed (3%)", "&status=Failed", new MediaListQuery(Alice, PageSize, Status: MediaStatus.Failed)),
        ("failed, page 2", $"&status=Failed&cursor={failedCursor.Encoded}", new MediaListQuery(Alice, PageSize, failedCursor.Position, Status: MediaStatus.Failed)),
        ("ready videos", "&kind=Video&status=Ready", new MediaListQuery(Alice, PageSize, Kind: MediaKind.Video, Status: MediaStatus.Ready)),
    };

    // Warm every query first, all of them before any is timed: the service's code is compiled again, optimized, after
    // its first few dozen calls; what a gallery meets after its first pages is what is measured.
    foreach (var (_, query, inProcess) in queries)
    {
        for (var i = 0; i < Math.Max(10, rounds / 2); i++)
        {
            using var response = await media.GetAsync($"/v3.0/media?limit={PageSize}{query}");
            response.EnsureSuccessStatusCode();
            await catalog.ListAsync(inProcess, CancellationToken.None);
        }
    }

    Console.WriteLine();
    Console.WriteLine("| query | media service p50 ms | p99 ms | catalog in-process p50 ms | p99 ms |");
    Console.WriteLine("| --- | --- | --- | --- | --- |");
    var worst = 0.0;
    foreach (var (name, query, inProcess) in queries)
    {
        var url = $"/v3.0/media?limit={PageSize}{query}";
        var service = await TimeAsync(rounds, async () =>
        {
            using var response = await media.GetAsync(url);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
        });
        var direct = await TimeAsync(rounds, () => catalog.ListAsync(inProcess, CancellationToken.None));
        worst = Math.Max(worst, service.P99);
        Console.WriteLine($"| {name} | {service.P50:0.00} | {service.P99:0.00} | {direct.P50:0.00} | {direct.P99:0.00} |");
    }

    // How every status filter ran before: along the owner's items in list order, checking each one's status.
    var before = await TimeAsync(Math.Min(rounds, 50), () => OwnerIndexOnlyAsync(catalogPath));
    Console.WriteLine($"| reference: failed (3%) through the owner's index alone, as before | | | {before.P50:0.00} | {before.P99:0.00} |");
    Console.WriteLine();
    Console.WriteLine($"Worst p99 through the media service: {worst:0.00} ms (target under 10 ms: {(worst < 10 ? "met" : "NOT met")}).");
    return 0;
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(data, recursive: true);
}

// Alice's and Bob's libraries through the catalog itself (its own schema and columns): newest first over a year,
// a fifth of them videos, 3% failed, the rest ready.
static async Task SeedAsync(SqliteMediaCatalog catalog, int count)
{
    await catalog.InitializeAsync(CancellationToken.None);
    var start = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);
    var random = new Random(16);
    var owners = Enumerable.Repeat(Alice, count).Concat(Enumerable.Repeat(Bob, count / 10)).ToArray();
    random.Shuffle(owners);
    for (var i = 0; i < owners.Length; i++)
    {
        var video = random.Next(5) == 0;
        var failed = random.Next(100) < 3;
        var created = start.AddSeconds(i * 300.0 + random.Next(300));
        await catalog.AddAsync(new MediaItem
        {
            Id = Guid.CreateVersion7(created),
            Owner = owners[i],
            DisplayName = video ? $"clip-{i}.mp4" : $"photo-{i}.jpg",
            ContentType = video ? "video/mp4" : "image/jpeg",
            Kind = video ? MediaKind.Video : MediaKind.Image,
            Size = 1_000_000 + random.Next(9_000_000),
            Sha256 = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
            Status = failed ? MediaStatus.Failed : MediaStatus.Ready,
            StatusReason = failed ? "The file could not be read as an image or a video." : null,
            CreatedAt = created,
            UpdatedAt = created,
            Width = failed ? null : 4000,
            Height = failed ? null : 3000,
            DurationSeconds = video && !failed ? 12.5 : null,
        }, CancellationToken.None);
    }
}

static async Task<(string Encoded, ListPosition Position)> CursorAfterAsync(HttpClient media, string filter, int pages)
{
    string? cursor = null;
    for (var page = 0; page < pages; page++)
    {
        var body = await media.GetFromJsonAsync<JsonElement>($"/v3.0/media?limit={PageSize}{filter}{(cursor is null ? "" : $"&cursor={cursor}")}");
        cursor = body.GetProperty("nextCursor").GetString()!;
    }

    return ListCursor.TryDecode(cursor!, out var position) ? (Uri.EscapeDataString(cursor!), position!.Value)
        : throw new InvalidOperationException("The API's cursor did not decode.");
}

static async Task<long> OwnerIndexOnlyAsync(string path)
{
    await using var connection = new SqliteConnection($"Data Source={path}");
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = "SELECT count(*) FROM (SELECT id FROM media_items INDEXED BY ix_media_items_owner_created " +
        "WHERE owner = @owner AND status = 'Failed' ORDER BY created_at DESC, id DESC LIMIT @take)";
    command.Parameters.AddWithValue("@owner", Alice);
    command.Parameters.AddWithValue("@take", PageSize + 1);
    return (long)(await command.ExecuteScalarAsync())!;
}

// A few rounds again right before (connection pools, SQLite's page cache), then the measured ones.
static async Task<(double P50, double P99)> TimeAsync(int rounds, Func<Task> run)
{
    for (var i = 0; i < 5; i++)
    {
        await run();
    }

    var times = new double[rounds];
    for (var i = 0; i < rounds; i++)
    {
        var clock = Stopwatch.StartNew();
        await run();
        times[i] = clock.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    return (times[(int)(0.50 * (rounds - 1))], times[(int)Math.Ceiling(0.99 * (rounds - 1))]);
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
