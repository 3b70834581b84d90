// Starts the page. Two things Blazor would otherwise do one after the other, or twice:
// - The silent sign-in (a hidden frame to the issuer, then the token) waits for .NET to boot and ask for it, some 800 ms
//   after navigation on a repeat visit on two cores. When this browser has signed in here before, it starts now, beside
//   the boot, with the settings Blazor used last time; Blazor's own sign-in check then finds it under way
//   (AuthenticationService.init and trySilentSignIn run once per page) instead of starting it.
// - The hidden frame lands on index.html. AuthenticationService.js completes the sign-in there as it loads; booting .NET
//   in that frame too would take the main thread (a same-origin frame shares it) from the page that is waiting for it.
(() => {
    const blazorKey = 'Microsoft.AspNetCore.Components.WebAssembly.Authentication.CachedAuthSettings';
    const ownKey = 'desirable.signin';
    const base = document.baseURI;
    const onSignInPage = location.href.startsWith(new URL('authentication/', base).href);
    if (onSignInPage && window.frameElement) {
        return; // the hidden frame of a silent sign-in
    }

    // The settings Blazor wrote in this tab (public: issuer, client id, redirect addresses) outlive it, so a new tab
    // starts early too.
    const current = sessionStorage.getItem(blazorKey);
    if (current) {
        localStorage.setItem(ownKey, current);
    }

    const cached = current ?? localStorage.getItem(ownKey);
    // Only the gallery's pages: a sign-in or sign-out page runs its own steps, in their order.
    if (cached && !onSignInPage) {
        startSilentSignIn(JSON.parse(cached)).catch(() => {
            // Blazor's own check runs as it would have, and reports what went wrong.
        });
    }

    Blazor.start();

    // Starts the sign-in only if the issuer and client have not changed since the settings were cached.
    async function startSilentSignIn(settings) {
        const response = await fetch(new URL('client-settings.json', base));
        const identity = (await response.json()).Identity ?? {}; // WebClientSettings' shape
        const audience = settings.extraQueryParams?.audience || null;
        if (settings.authority !== identity.Authority || settings.client_id !== identity.ClientId || audience !== (identity.Audience || null)) {
            localStorage.removeItem(ownKey);
            return;
        }

        performance.mark('desirable:sign-in-started-early'); // for the browser tests and the benchmark's timeline
        await AuthenticationService.init(settings, { debugEnabled: false, traceEnabled: false });
        await AuthenticationService.instance.trySilentSignIn();
    }
})();
