using System.Text.Json.Serialization;
using Desirable.MediaService.Access;
using Desirable.MediaService.Uploads;

namespace Desirable.MediaService.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<Desirable.MediaService.Apis.AwsOutageHandler>();
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton(TimeProvider.System);

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
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddScoped<ICurrentUser, TokenUser>();

        return builder;
    }
}
