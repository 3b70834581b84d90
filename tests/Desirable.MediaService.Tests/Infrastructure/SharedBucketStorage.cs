namespace Desirable.MediaService.Tests.Infrastructure;

/// <summary>
/// Test classes that assert "the storage holds nothing new" run one after another. fauxqs keeps every bucket's
/// open multipart uploads in one folder (it cannot list them per bucket), so a large upload in one class would
/// look like a leftover to another running beside it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedBucketStorage
{
    public const string Name = "Shared bucket storage";
}
