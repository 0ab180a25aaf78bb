using Basalt.Diagnostics;
using Basalt.Emulator.Bedrock;
using Basalt.Emulator.Faults;
using YamlDotNet.RepresentationModel;

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

    private static YamlMappingNode Section(string yaml, string name)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode(name)];
    }
}
