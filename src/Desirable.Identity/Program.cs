using Desirable.Identity;
using Desirable.Identity.Endpoints;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddIdentityServices();
builder.Services.AddProblemDetails();

var app = builder.Build();

// A form without its antiforgery token (or another bad request) is the client's error, also in Development.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapConnectApi();
app.MapSignInPage();
app.MapGet("/", () => Results.Redirect("/signin")).ExcludeFromDescription();
app.MapDefaultEndpoints();

app.Run();

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
