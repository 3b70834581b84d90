using System.Buffers;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Desirable.Media.Storage;

/// <summary>
/// One object being written from a stream of unknown length. Bytes collect in a part-sized buffer; a small
/// object goes up in one PutObject at commit, a large one as a multipart upload whose parts are sent while
/// the next part is read (two buffers, so memory stays at two parts whatever the file size). An object known to fit
/// in two parts and under the single-PutObject ceiling (from the request's length) is kept in both buffers and goes up
/// in one PutObject too: one request instead of four, as the AWS SDK's own transfer utility does below its multipart
/// threshold. The object
/// appears only at <see cref="CommitAsync"/>; an upload disposed before that is aborted and leaves nothing.
/// Every byte is hashed once, here (<see cref="Seal"/>): the one PutObject carries that SHA-256 as its signed payload
/// hash and as the object's checksum, so the SDK does not hash the bytes again and S3 refuses them if they differ.
/// </summary>
public sealed class ObjectUpload : IAsyncDisposable
{
    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _contentType;
    private readonly int _partSize;
    private readonly ILogger _logger;
    private readonly ArrayPool<byte> _pool;

    private readonly long? _expectedLength;
    private readonly long _singlePutMax;
    private byte[] _buffer;
    private byte[]? _spare;

    /// <summary>A full first part kept back for one PutObject, while the object is expected to fit in two parts.</summary>
    private byte[]? _held;
    private int _filled;
    private string? _uploadId;
    private Task<PartETag>? _partInFlight;
    private readonly List<PartETag> _parts = [];
    private bool _committed;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _sha256;

    /// <summary>An S3 request of this upload met an outage; aborting would only wait through the same timeouts again.</summary>
    private bool _storageAway;

    /// <param name="expectedLength">
    /// At most how long the object will be, when known (a request's Content-Length): the first buffer is only that
    /// large, so a small file does not take a whole part's memory. It grows to a part if more arrives.
    /// </param>
    /// <param name="singlePutMax">The largest object sent in one PutObject though it is longer than a part.</param>
    internal ObjectUpload(
        IAmazonS3 s3, string bucket, string key, string contentType, int partSize, ArrayPool<byte> pool, ILogger logger, long? expectedLength = null, long singlePutMax = 0)
    {
        _pool = pool;
        _s3 = s3;
        _bucket = bucket;
        Key = key;
        _contentType = contentType;
        _partSize = partSize;
        _logger = logger;
        _expectedLength = expectedLength;
        _singlePutMax = Math.Min(singlePutMax, 2L * partSize);
        _buffer = pool.Rent((int)Math.Clamp(expectedLength ?? partSize, 1, partSize));
    }

    public string Key { get; }

    public long Length { get; private set; }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        if (_sha256 is not null)
        {
            throw new InvalidOperationException("The upload is sealed; nothing more can be written.");
        }

        _hash.AppendData(data.Span);
        while (!data.IsEmpty)
        {
            // A full buffer is dealt with only once more bytes arrive: the last one always goes with the commit, so an
            // object of exactly one or two parts can still go up in one PutObject.
            if (_filled == _partSize)
            {
                if (_uploadId is null && _held is null && _expectedLength <= _singlePutMax)
                {
                    HoldFirstPart();
                }
                else
                {
                    await NotingOutagesAsync(SendFullPartAsync(cancellationToken));
                }
            }

            var take = Math.Min(data.Length, _partSize - _filled);
            if (_filled + take > _buffer.Length)
            {
                // More than the hint said: a whole part after all.
                var larger = _pool.Rent(_partSize);
                _buffer.AsSpan(0, _filled).CopyTo(larger);
                _pool.Return(_buffer);
                _buffer = larger;
            }

            data.Span[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            Length += take;
            data = data[take..];
        }
    }

    /// <summary>Ends the writing and returns the SHA-256 of every byte written.</summary>
    public byte[] Seal() => _sha256 ??= _hash.GetHashAndReset();

    /// <summary>Makes the object visible in the bucket (sealing it first if that was not done).</summary>
    public Task CommitAsync(CancellationToken cancellationToken) => NotingOutagesAsync(CommitCoreAsync(cancellationToken));

    private async Task NotingOutagesAsync(Task request)
    {
        try
        {
            await request;
        }
        catch (Exception e) when (AwsOutage.Is(e))
        {
            _storageAway = true;
            throw;
        }
    }

    private async Task CommitCoreAsync(CancellationToken cancellationToken)
    {
        if (_uploadId is null)
        {
            using Stream body = _held is null
                ? new MemoryStream(_buffer, 0, _filled, writable: false)
                : new SegmentStream([new ArraySegment<byte>(_held, 0, _partSize), new ArraySegment<byte>(_buffer, 0, _filled)]);
            var sha256 = Seal();
            var put = new PutObjectRequest
            {
                BucketName = _bucket,
                Key = Key,
                InputStream = body,
                ContentType = _contentType,
                AutoCloseStream = false,
                ChecksumSHA256 = Convert.ToBase64String(sha256),

                // The hash is known, so the request is signed with it rather than in separately signed chunks: the
                // SDK's defaults would hash every byte again (chunk signatures, plus a CRC32 trailer).
                UseChunkEncoding = false,
            };
            put.Headers["x-amz-content-sha256"] = Convert.ToHexStringLower(sha256);
            await _s3.PutObjectAsync(put, cancellationToken);
        }
        else
        {
            await WaitForPartInFlightAsync();
            if (_filled > 0)
            {
                _parts.Add(await UploadPartAsync(_buffer, _filled, _parts.Count + 1, cancellationToken));
                _filled = 0;
            }

            await _s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = Key,
                UploadId = _uploadId,
                PartETags = _parts,
            }, cancellationToken);
        }

        _committed = true;
    }

    private void HoldFirstPart()
    {
        _held = _buffer;
        _buffer = _pool.Rent((int)Math.Clamp(_expectedLength!.Value - _partSize, 1, _partSize));
        _filled = 0;
    }

    private async Task SendFullPartAsync(CancellationToken cancellationToken)
    {
        _uploadId ??= (await _s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = Key,
            ContentType = _contentType,
        }, cancellationToken)).UploadId;

        // More came than the request's length promised: the part kept back goes first, and its buffer becomes the spare.
        if (_held is not null)
        {
            _parts.Add(await UploadPartAsync(_held, _partSize, 1, cancellationToken));
            _spare = _held;
            _held = null;
        }

        // At most one part travels while the next one fills.
        await WaitForPartInFlightAsync();
        var full = _buffer;
        _partInFlight = UploadPartAsync(full, _partSize, _parts.Count + 1, cancellationToken);
        _buffer = _spare ?? _pool.Rent(_partSize);
        _spare = full;
        _filled = 0;
    }

    private async Task WaitForPartInFlightAsync()
    {
        if (_partInFlight is not null)
        {
            var part = _partInFlight;
            _partInFlight = null;
            _parts.Add(await part);
        }
    }

    private async Task<PartETag> UploadPartAsync(byte[] buffer, int length, int partNumber, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(buffer, 0, length, writable: false);
        var request = new UploadPartRequest
        {
            BucketName = _bucket,
            Key = Key,
            UploadId = _uploadId,
            PartNumber = partNumber,
            InputStream = body,
            PartSize = length,

            // Signed in one piece (the SDK hashes the part once) rather than in separately signed chunks, which
            // cost an HMAC per chunk here and a chunk parser at the other end.
            UseChunkEncoding = false,
        };

        // Started on the pool: the SDK hashes the part before the first await, and the next part is being read meanwhile.
        var response = await Task.Run(() => _s3.UploadPartAsync(request, cancellationToken), cancellationToken);
        return new PartETag(partNumber, response.ETag);
    }

    public async ValueTask DisposeAsync()
    {
        // A part may still be travelling when the upload is abandoned; let it land before aborting.
        if (_partInFlight is not null)
        {
            try
            {
                await _partInFlight;
            }
            catch (Exception e) when (e is AmazonServiceException or OperationCanceledException || AwsOutage.Is(e))
            {
                // The abort below discards it either way.
                _storageAway |= AwsOutage.Is(e);
            }
        }

        // The parts stay invisible either way; when S3 is away, the bucket's abort-incomplete-uploads lifecycle rule
        // collects them rather than the client waiting through another round of timeouts.
        if (!_committed && _uploadId is not null && _storageAway)
        {
            _logger.LogWarning("Multipart upload {UploadId} of {Key} is left to the bucket's lifecycle rule: storage is not answering.", _uploadId, Key);
        }
        else if (!_committed && _uploadId is not null)
        {
            try
            {
                await _s3.AbortMultipartUploadAsync(_bucket, Key, _uploadId, CancellationToken.None);
            }
            catch (Exception e) when (e is AmazonServiceException || AwsOutage.Is(e))
            {
                // The parts stay invisible; the bucket's abort-incomplete-uploads lifecycle rule collects them.
                _logger.LogWarning(e, "Could not abort multipart upload {UploadId} of {Key}.", _uploadId, Key);
            }
        }

        _hash.Dispose();
        _pool.Return(_buffer);
        if (_spare is not null)
        {
            _pool.Return(_spare);
        }

        if (_held is not null)
        {
            _pool.Return(_held);
        }
    }
}
