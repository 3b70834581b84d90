namespace Aspire.Hosting;

/// <summary>The MongoDB image; the tag is pinned so every developer runs the same server as the tests.</summary>
internal static class MongoDBContainerImageTags
{
    public const string Registry = "docker.io";
    public const string Image = "library/mongo";
    public const string Tag = "8.0";
}
