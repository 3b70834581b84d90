using Desirable.MediaService.Uploads;
using Microsoft.Extensions.Configuration;

namespace Desirable.MediaService.Tests.Uploads;

public class UploadOptionsTests
{
    [Fact]
    public void DefaultsAcceptTheSevenMediaTypesAndAHundredMebibytes()
    {
        var options = Bind([]);

        Assert.Equal(100L * 1024 * 1024, options.MaxFileSizeBytes);
        Assert.All(UploadOptions.DefaultAllowedContentTypes, type => Assert.True(options.IsAllowed(type)));
        Assert.False(options.IsAllowed("application/pdf"));
    }

    [Fact]
    public void ConfiguredTypesReplaceTheDefaultsInsteadOfAddingToThem()
    {
        var options = Bind(new() { ["Uploads:AllowedContentTypes:0"] = "image/png" });

        Assert.True(options.IsAllowed("image/png"));
        Assert.False(options.IsAllowed("image/jpeg"));
    }

    [Fact]
    public void RequestBodyLimitLeavesRoomForMultipartFraming()
    {
        var options = Bind(new() { ["Uploads:MaxFileSizeBytes"] = "1000" });

        Assert.Equal(1000 + UploadOptions.MultipartOverheadBytes, options.MaxRequestBodyBytes);
    }

    private static UploadOptions Bind(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build()
            .GetSection(UploadOptions.SectionName).Get<UploadOptions>() ?? new UploadOptions();
}
