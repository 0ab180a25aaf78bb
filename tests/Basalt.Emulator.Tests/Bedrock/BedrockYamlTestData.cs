using Basalt.Diagnostics;
using Basalt.Emulator.Bedrock;
using Basalt.Emulator.Faults;
using Basalt.Diagnostics.Reading;

namespace Basalt.Emulator.Tests.Bedrock;

/// <summary>Parses one section of an emulator YAML text with the section's own parser.</summary>
internal static class BedrockYamlTestData
{
    public static BedrockEmulatorOptions Bedrock(string yaml, out List<Diagnostic> diagnostics, string file = "/tmp/emulator.yaml")
    {
        diagnostics = [];
        return BedrockEmulatorOptions.Parse(Section(yaml, "bedrock"), file, diagnostics);
    }

    public static FaultOptions Faults(string yaml, out List<Diagnostic> diagnostics)
    {
        diagnostics = [];
        return FaultOptions.Parse(Section(yaml, "faults"), "/tmp/emulator.yaml", diagnostics);
    }

    private static InputNode Section(string yaml, string name)
    {
        var problems = new List<Diagnostic>();
        var root = YamlInputReader.Read(yaml, "/tmp/emulator.yaml", Basalt.Emulator.Configuration.EmulatorOptionsLoader.Codes, InputLimits.Default, problems);
        Assert.True(root is not null, string.Join('\n', problems));
        return root.Get(name)!;
    }
}
