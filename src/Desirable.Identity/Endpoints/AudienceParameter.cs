using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Desirable.Identity.Endpoints;

/// <summary>
/// Auth0 takes the API a token is for as an <c>audience</c> parameter of the authorize request, and the web app
/// sends it. OpenIddict refuses that parameter, so the local issuer checks it against its one audience and then
/// drops it: the same request works against both issuers.
/// </summary>
internal static class AudienceParameter
{
    public const string Name = "audience";

    public static OpenIddictServerBuilder AcceptAuth0AudienceParameter(this OpenIddictServerBuilder server, string audience) =>
        server.AddEventHandler<ExtractAuthorizationRequestContext>(handler => handler
            .UseInlineHandler(context =>
            {
                if (context.Request?.GetParameter(Name) is { } requested)
                {
                    if (!string.Equals((string?)requested, audience, StringComparison.Ordinal))
                    {
                        context.Reject(Errors.InvalidRequest, $"The audience must be {audience}.");
                        return default;
                    }

                    context.Request.RemoveParameter(Name);
                }

                return default;
            })
            // After the request has been read from the query or form, before it is validated.
            .SetOrder(int.MaxValue - 100_000)
            .SetType(OpenIddictServerHandlerType.Custom));
}
