using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Desirable.MediaProcessor.Tests;

/// <summary>The processor in-process, on its own entry point.</summary>
public sealed class ProcessorFactory(Action<IWebHostBuilder> configure) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        configure(builder);
    }
}
