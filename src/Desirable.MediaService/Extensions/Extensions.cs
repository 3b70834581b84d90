using System.Text.Json.Serialization;
using Desirable.MediaService.Access;
using Desirable.MediaService.Uploads;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Desirable.MediaService.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<Desirable.MediaService.Apis.AwsOutageHandler>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton(TimeProvider.System);

        // Lists are JSON of repeated names and URLs, a third of their size compressed, and the gallery asks for one on
        // every visit; the fastest levels, because a page of 50 items must stay a few milliseconds. Over HTTPS too: the
        // API's caller is named by a bearer token the page adds itself, never by a cookie a browser would add to another
        // site's request, so a compression side channel (BREACH) has nothing to work with. Media bytes are not JSON.
        builder.Services.AddResponseCompression(compression =>
        {
            compression.EnableForHttps = true;
            compression.MimeTypes = ["application/json"];
            compression.Providers.Add<BrotliCompressionProvider>();
            compression.Providers.Add<GzipCompressionProvider>();
        });
        builder.Services.Configure<BrotliCompressionProviderOptions>(brotli => brotli.Level = System.IO.Compression.CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(gzip => gzip.Level = System.IO.Compression.CompressionLevel.Fastest);

        // Shared with the processor: the catalog, the bucket, and the job queue an upload sends its job to.
        builder.AddMediaCatalog();
        builder.AddMediaStorage();
        builder.AddProcessingJobs();
        builder.Services.AddSingleton<Desirable.Media.MediaDeletion>();

        builder.Services.AddOptions<UploadOptions>().BindConfiguration(UploadOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<MediaUploader>();
        builder.Services.AddSingleton<UploadAdmission>();
        builder.Services.AddSingleton<UploadMetrics>();

        // Tokens are validated here as well as at the gateway: nothing reaches the media without one.
        builder.AddJwtBearerAuthentication();
        builder.Services.AddAuthorizationBuilder().AddMediaPolicies();
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<SignedUrlOptions>().BindConfiguration(SignedUrlOptions.SectionName).ValidateDataAnnotations()
            .Validate(options => development || !string.IsNullOrEmpty(options.Secret),
                "SignedUrls:Secret is required outside Development: every instance of the media service must sign with the same key.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SignedUrls>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ReadOrSignedHandler>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ICurrentUser, TokenUser>();

        return builder;
    }
}
