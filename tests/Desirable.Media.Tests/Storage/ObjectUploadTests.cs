using Amazon.S3;
using Desirable.Media.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Desirable.Media.Tests.Storage;

/// <summary>
/// Streamed writes into a real bucket (the shared fauxqs): which requests each size takes, that the bytes arrive
/// whole, and that an upload that is not committed leaves nothing.
/// </summary>
public sealed class ObjectUploadTests : IAsyncLifetime
{
    private const int PartSize = 5 * 1024 * 1024;
    private readonly string _bucket = $"uploads-{Guid.NewGuid():N}";
    private AmazonS3Client _s3 = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _s3 = EmulatorClients.S3((await SharedFauxqs.GetAsync()).ServiceUrl);
        await _s3.PutBucketAsync(_bucket, Ct);
    }

    public static TheoryData<string, int, long?, string[]> Sizes => new()
    {
        { "small, length known", 300_000, 300_500, ["PutObject"] },
        { "small, length unknown", 300_000, null, ["PutObject"] },
        { "exactly one part", PartSize, PartSize + 500, ["PutObject"] },
        { "within two parts, length known", PartSize + 3_000_000, PartSize + 3_000_500, ["PutObject"] },
        { "exactly two parts, length known", 2 * PartSize, 2 * PartSize, ["PutObject"] },
        { "within two parts, length unknown", PartSize + 3_000_000, null, ["InitiateMultipartUpload", "UploadPart", "UploadPart", "CompleteMultipartUpload"] },
        { "more than two parts", 2 * PartSize + 1, 2 * PartSize + 500, ["InitiateMultipartUpload", "UploadPart", "UploadPart", "UploadPart", "CompleteMultipartUpload"] },
        { "more than the length promised", PartSize + PartSize + 1_000, PartSize + 1_000, ["InitiateMultipartUpload", "UploadPart", "UploadPart", "UploadPart", "CompleteMultipartUpload"] },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task EachSizeTakesItsRequestsAndArrivesWhole(string size, int length, long? expectedLength, string[] requests)
    {
        var (storage, record) = Storage();
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var key = $"objects/{Guid.NewGuid():N}";

        await using (var upload = storage.BeginUpload(key, "application/octet-stream", expectedLength))
        {
            // In the odd chunks a request body arrives in.
            for (var offset = 0; offset < length; offset += 81_920)
            {
                await upload.WriteAsync(bytes.AsMemory(offset, Math.Min(81_920, length - offset)), Ct);
            }

            await upload.CommitAsync(Ct);
        }

        Assert.True(requests.SequenceEqual(record.Calls), $"{size}: {string.Join(", ", record.Calls)}");
        using var stored = await _s3.GetObjectAsync(_bucket, key, Ct);
        using var copy = new MemoryStream();
        await stored.ResponseStream.CopyToAsync(copy, Ct);
        Assert.True(bytes.AsSpan().SequenceEqual(copy.ToArray()), $"{size}: the stored bytes differ.");
    }

    /// <summary>With the service's own settings (8 MiB parts): what the embedded emulator takes in one request decides.</summary>
    [Theory]
    [InlineData(10 * 1024 * 1024, true)]
    [InlineData(12 * 1024 * 1024, false)]
    public async Task OnePutObjectStaysUnderTheCeilingTheEmulatorTakes(int length, bool onePut)
    {
        var defaults = new StorageOptions();
        var (client, record) = S3Proxy.Wrap<RecordingS3>(_s3);
        var storage = new MediaStorage(client, Options.Create(new StorageOptions { BucketName = _bucket }), NullLogger<MediaStorage>.Instance);
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);

        await using (var upload = storage.BeginUpload($"objects/{Guid.NewGuid():N}", "application/octet-stream", length + 300))
        {
            await upload.WriteAsync(bytes, Ct);
            await upload.CommitAsync(Ct);
        }

        Assert.Equal(8 * 1024 * 1024, defaults.PartSizeBytes);
        Assert.Equal(onePut, record.Calls.SequenceEqual(["PutObject"]));
    }

    /// <summary>
    /// The one PutObject is signed with the SHA-256 the upload computed as the bytes went by, and stores it as the
    /// object's checksum (S3 refuses the request if the bytes it receives do not match; the emulator only keeps it).
    /// </summary>
    [Fact]
    public async Task OnePutObjectCarriesTheHashOfItsBytesAsTheObjectsChecksum()
    {
        var (storage, _) = Storage();
        var bytes = new byte[PartSize + 1_000_000];
        new Random(7).NextBytes(bytes);
        var key = $"objects/{Guid.NewGuid():N}";

        byte[] sealedHash;
        await using (var upload = storage.BeginUpload(key, "application/octet-stream", bytes.Length + 300))
        {
            await upload.WriteAsync(bytes.AsMemory(0, 100_000), Ct);
            await upload.WriteAsync(bytes.AsMemory(100_000), Ct);
            sealedHash = upload.Seal();
            await upload.CommitAsync(Ct);
        }

        Assert.Equal(System.Security.Cryptography.SHA256.HashData(bytes), sealedHash);
        var head = await _s3.GetObjectMetadataAsync(new Amazon.S3.Model.GetObjectMetadataRequest
        {
            BucketName = _bucket,
            Key = key,
            ChecksumMode = ChecksumMode.ENABLED,
        }, Ct);
        Assert.Equal(Convert.ToBase64String(sealedHash), head.ChecksumSHA256);
    }

    /// <summary>What goes on the wire: one signed piece whose payload hash is the bytes' SHA-256 (no aws-chunked body).</summary>
    [Fact]
    public async Task OnePutObjectIsSignedWithTheHashOfItsBytes()
    {
        var wire = new HeaderRecorder();
        using var s3 = new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials("test", "test"), new AmazonS3Config
        {
            ServiceURL = (await SharedFauxqs.GetAsync()).ServiceUrl.ToString(),
            AuthenticationRegion = FauxqsEmulator.Region,
            ForcePathStyle = true,
            HttpClientFactory = wire,
        });
        var storage = new MediaStorage(s3, Options.Create(new StorageOptions { BucketName = _bucket, PartSizeBytes = PartSize }), NullLogger<MediaStorage>.Instance);
        var bytes = new byte[300_000];
        new Random(3).NextBytes(bytes);

        await using (var upload = storage.BeginUpload($"objects/{Guid.NewGuid():N}", "application/octet-stream", bytes.Length))
        {
            await upload.WriteAsync(bytes, Ct);
            await upload.CommitAsync(Ct);
        }

        var put = Assert.Single(wire.Requests, r => r.Method == HttpMethod.Put);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), put.Headers["x-amz-content-sha256"]);
        Assert.False(put.Headers.ContainsKey("Content-Encoding"), "The body went aws-chunked.");
    }

    /// <summary>Records each request's method and headers (content headers included) on the way out.</summary>
    private sealed class HeaderRecorder : Amazon.Runtime.HttpClientFactory
    {
        public List<(HttpMethod Method, Dictionary<string, string> Headers)> Requests { get; } = [];

        public override HttpClient CreateHttpClient(Amazon.Runtime.IClientConfig clientConfig) => new(new Recording(this));

        private sealed class Recording(HeaderRecorder owner) : DelegatingHandler(new HttpClientHandler())
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                    .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
                lock (owner.Requests)
                {
                    owner.Requests.Add((request.Method, headers));
                }

                return base.SendAsync(request, cancellationToken);
            }
        }
    }

    [Fact]
    public async Task NothingCanBeWrittenAfterTheUploadIsSealed()
    {
        var (storage, _) = Storage();
        await using var upload = storage.BeginUpload($"objects/{Guid.NewGuid():N}", "application/octet-stream", 10);
        await upload.WriteAsync(new byte[5], Ct);
        upload.Seal();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await upload.WriteAsync(new byte[5], Ct));
    }

    [Theory]
    [InlineData(300_000)]
    [InlineData(PartSize + 3_000_000)]
    [InlineData(3 * PartSize)]
    public async Task AnUploadThatIsNotCommittedLeavesNothing(int length)
    {
        var (storage, _) = Storage();
        await using (var upload = storage.BeginUpload($"objects/{Guid.NewGuid():N}", "application/octet-stream", length + 500))
        {
            await upload.WriteAsync(new byte[length], Ct);
        }

        Assert.Empty(await BucketContents.ListAsync(_s3, _bucket, SharedFauxqs.S3StorageDirectory));
    }

    private (MediaStorage Storage, RecordingS3 Record) Storage()
    {
        var (client, record) = S3Proxy.Wrap<RecordingS3>(_s3);
        var options = Options.Create(new StorageOptions { BucketName = _bucket, PartSizeBytes = PartSize });
        return (new MediaStorage(client, options, NullLogger<MediaStorage>.Instance), record);
    }

    public ValueTask DisposeAsync()
    {
        _s3?.Dispose();
        return ValueTask.CompletedTask;
    }
}
