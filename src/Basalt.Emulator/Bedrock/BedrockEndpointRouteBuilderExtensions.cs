using Basalt.Emulator.Bedrock;
using Basalt.Emulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Basalt.Emulator;

/// <summary>Maps the emulated Bedrock runtime and control plane onto an emulator host.</summary>
public static class BedrockEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /model/{modelId}/(invoke|invoke-with-response-stream|count-tokens)</c> and
    /// <c>GET /inference-profiles[/{id}]</c>, <c>GET /foundation-models[/{id}]</c>. The host must have registered
    /// its emulator context (identities, authenticator, request log); the region comes from the host's options,
    /// and the account from <paramref name="options"/> or else the host's first configured account.
    /// </summary>
    public static IEndpointRouteBuilder MapBedrock(this IEndpointRouteBuilder app, BedrockEmulatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var emulator = app.ServiceProvider.GetRequiredService<EmulatorContext>();
        options ??= BedrockEmulatorOptions.Default;
        options = options with
        {
            Region = emulator.Options.Region,
            AccountId = options.AccountId ?? emulator.Options.Accounts.FirstOrDefault()?.Id,
        };

        var catalog = new ModelCatalog(options);
        var runtime = new BedrockRuntime(emulator, catalog, new ReplyPlanner(options.Replies), options.Pacing);
        var control = new BedrockControlPlane(emulator, catalog);
        app.MapPost("/model/{**target}", runtime.HandleAsync);
        app.MapGet("/inference-profiles", control.ListInferenceProfilesAsync);
        app.MapGet("/inference-profiles/{**id}", control.GetInferenceProfileAsync);
        app.MapGet("/foundation-models", control.ListFoundationModelsAsync);
        app.MapGet("/foundation-models/{**id}", control.GetFoundationModelAsync);
        return app;
    }
}
