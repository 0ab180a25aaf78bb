namespace Basalt.Tests.Credentials.Support;

/// <summary>One emulator process shared by the credential tests that need AWS (STS, IAM Identity Center).</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    private EmulatorProcess? _emulator;

    internal EmulatorProcess Emulator => _emulator ?? throw new InvalidOperationException("the emulator has not started");

    public async Task InitializeAsync() => _emulator = await EmulatorProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EmulatorTestGroup : ICollectionFixture<EmulatorFixture>
{
    public const string Name = "credentials-emulator";
}
