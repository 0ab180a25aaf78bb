using System.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Basalt.Diagnostics.Reading;

/// <summary>
/// Writes an <see cref="InputNode"/> tree back as block YAML with YamlDotNet's emitter, scalars exactly as written
/// (unresolved: a <c>${env:…}</c> or <c>${file:…}</c> reference stays a reference, so no secret is copied into a
/// generated file). A scalar that was plain stays plain where YAML allows it, so <c>true</c> and <c>8080</c> keep
/// their core-schema meaning; a quoted one stays quoted. Used where one section of a file becomes a file of its own
/// (the deployment's <c>gateway:</c> section → the gateway's configuration). The tree was built within
/// <see cref="InputLimits"/>, so the recursion is at most <see cref="InputLimits.MaxDepth"/> deep.
/// </summary>
public static class InputYaml
{
    public static string Write(InputNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = new StringWriter(new StringBuilder(), System.Globalization.CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(text, bestIndent: 2, bestWidth: int.MaxValue);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Write(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return text.ToString();
    }

    private static void Write(IEmitter emitter, InputNode node)
    {
        switch (node.Kind)
        {
            case InputNodeKind.Mapping:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
                foreach (var (key, item) in node.Entries)
                {
                    // Keys are names whatever their quoting (readers take a key's text), so plain unless plain cannot carry it.
                    emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, key.Scalar ?? string.Empty, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: true));
                    Write(emitter, item);
                }

                emitter.Emit(new MappingEnd());
                break;
            case InputNodeKind.Sequence:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true, SequenceStyle.Block));
                foreach (var item in node.Items)
                {
                    Write(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            default:
                var value = node.Scalar ?? string.Empty;

                // Plain stays plain (the emitter quotes it only if plain would change its meaning); quoted stays quoted.
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, value, node.IsPlain ? ScalarStyle.Plain : ScalarStyle.DoubleQuoted, isPlainImplicit: true, isQuotedImplicit: true));
                break;
        }
    }
}
