using Basalt.Deployment.Reading;
using Basalt.Deployment.Secrets;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment;

/// <summary>
/// Reads <c>basalt.yaml</c> (README, "basalt deploy") into a <see cref="DeploymentFile"/>. The text is read within
/// <see cref="InputLimits"/> by <see cref="YamlInputReader"/>; each section has its own reader under
/// <c>Deployment/Reading/</c> with its allowed keys in <see cref="DeploymentSchema"/>, and all of them read
/// fields through the one <see cref="FieldReader"/>. Every problem is one diagnostic with file:line:column, key
/// path, what was expected and how to fix it; nothing throws. Each group is the top-level sections with the
/// group's overrides laid over them; problems in shared sections are reported once.
/// </summary>
public static class DeploymentFileParser
{
    public const string DefaultGroupName = "default";

    /// <summary>
    /// Reads and parses a deployment file from disk within <see cref="InputLimits"/>; relative <c>${file:...}</c>
    /// paths start at its folder.
    /// </summary>
    public static DeploymentParseResult Load(string path, Func<string, string?>? environment = null, InputLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        limits ??= InputLimits.Default;
        var bytes = InputText.ReadFile(path, limits.MaxInputBytes, out var problem);
        if (bytes is null)
        {
            var diagnostic = problem == InputText.FileProblem.TooLarge
                ? InputText.TooLarge(path, new FileInfo(path).Length, limits)
                : new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.EmptyFile, $"cannot read the deployment file: {problem switch
                {
                    InputText.FileProblem.NotFound => "the file does not exist",
                    InputText.FileProblem.NotRegularFile => "it is not a regular file",
                    _ => "the file cannot be read",
                }}", Location: new SourceLocation(path), Fix: "check the path, or run 'basalt deploy init' to create basalt.yaml");
            return new DeploymentParseResult(null, [diagnostic]);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Environment.CurrentDirectory;
        return Parse(bytes, path, new SecretReferenceResolver(directory, environment, limits), limits);
    }

    /// <summary>Parses the bytes of a deployment file (strict UTF-8, within <paramref name="limits"/>).</summary>
    public static DeploymentParseResult Parse(ReadOnlySpan<byte> bytes, string path, SecretReferenceResolver resolver, InputLimits? limits = null)
    {
        var diagnostics = new List<Diagnostic>();
        var text = InputText.Decode(bytes, path, limits ?? InputLimits.Default, diagnostics);
        return text is null ? new DeploymentParseResult(null, diagnostics) : Parse(text, path, resolver, limits);
    }

    public static DeploymentParseResult Parse(string text, string path, SecretReferenceResolver resolver, InputLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(resolver);
        var diagnostics = new List<Diagnostic>();
        var root = YamlInputReader.Read(text, path, DeploymentDiagnosticCodes.Input, limits ?? InputLimits.Default, diagnostics);
        if (root is null)
        {
            return new DeploymentParseResult(null, diagnostics);
        }

        var context = new FieldReader(DeploymentDiagnosticCodes.Input, diagnostics, resolver);
        if (root.Kind != InputNodeKind.Mapping)
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, root, "(root)", $"expected a mapping of sections, found {root.Describe()}", "start the file with 'name:', 'provider:', 'aws:', 'auth:' and 'models:' sections");
            return new DeploymentParseResult(null, diagnostics);
        }

        context.CheckKeys(root, string.Empty, DeploymentSchema.TopKeys);
        var catalogue = DeploymentModelCatalogue.Read(context, root.Get(DeploymentModelCatalogue.Key), path);
        if (context.Mapping(root, "secrets", string.Empty) is { } secrets)
        {
            // Read first: it decides which ${file:} paths the other sections may use.
            context.CheckKeys(secrets, "secrets", DeploymentSchema.SecretsKeys);
            resolver.AllowFilesOutsideFolder = context.Bool(secrets, "allowFilesOutsideFolder", "secrets") ?? false;
        }

        var version = context.Int(root, "version", string.Empty, 0, int.MaxValue);
        if (version is not null and not 1)
        {
            context.Error(DeploymentDiagnosticCodes.UnsupportedVersion, root.Get("version")!, "version", $"version {version} is not supported; expected 1", "set 'version: 1'");
        }

        var name = context.String(root, "name", string.Empty, required: true, fix: "add 'name: my-deployment' (lower case letters, digits and '-')");
        if (name is not null && !DeploymentPatterns.Name().IsMatch(name.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, root.Get("name")!, "name", $"'{name.Value}' is not a valid deployment name; expected lower case letters, digits and '-', starting with a letter or digit", "rename it, e.g. 'acme-claude'");
        }

        var deploymentName = name?.Value ?? "deployment";
        var groups = new List<DeploymentGroup>();
        var modelsNode = root.Get("models");
        var baseNode = root.Without("groups", "secrets", DeploymentModelCatalogue.Key, DeploymentSchema.GatewaySectionKey);
        var groupsNode = root.Get("groups");
        if (groupsNode is null || groupsNode.IsNull)
        {
            if (GroupSectionReader.Read(context, catalogue, deploymentName, DefaultGroupName, baseNode.Without("models"), modelsNode, null, null) is { } single)
            {
                groups.Add(single);
            }
        }
        else if (groupsNode.Kind != InputNodeKind.Mapping || groupsNode.Entries.Count == 0)
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, groupsNode, "groups", $"expected a mapping of group names to overrides, found {groupsNode.Describe()}",
                "write 'groups:' followed by indented 'engineering:' style entries");
        }
        else
        {
            foreach (var (keyNode, groupNode) in groupsNode.Entries)
            {
                var groupName = keyNode.Scalar ?? string.Empty;
                if (!DeploymentPatterns.Name().IsMatch(groupName))
                {
                    context.Error(DeploymentDiagnosticCodes.InvalidValue, keyNode, $"groups.{groupName}", $"'{groupName}' is not a valid group name; expected lower case letters, digits and '-' (it becomes a folder name)", "rename the group, e.g. 'engineering'");
                    continue;
                }

                var overrides = groupNode.IsNull ? InputNode.CreateMapping([], groupNode.Location) : groupNode;
                if (overrides.Kind != InputNodeKind.Mapping)
                {
                    context.Error(DeploymentDiagnosticCodes.WrongType, groupNode, $"groups.{groupName}", $"expected a mapping of overrides, found {groupNode.Describe()}", "indent the group's sections under its name");
                    continue;
                }

                context.EnterScope($"groups.{groupName}.", overrides);
                context.CheckKeys(overrides, $"groups.{groupName}", DeploymentSchema.GroupKeys);
                var effective = GroupOverrideMerger.Merge(baseNode.Without("models"), overrides.Without("models", "description"));
                var description = context.Text(overrides, "description", $"groups.{groupName}", allowLineBreaks: true)?.Value;
                if (GroupSectionReader.Read(context, catalogue, deploymentName, groupName, effective, modelsNode, overrides.Get("models"), description) is { } group)
                {
                    groups.Add(group);
                }

                context.LeaveScope();
            }
        }

#if NET10_0_OR_GREATER
        // The gateway (and so its reader) is net10.0-only; the net9.0 build serves the credential helper alone. Read
        // after the groups: the groups on Basalt's gateway become gateway groups (issue 8 item 9).
        var (gateway, gatewaySection) = Gateway.Deployment.GatewayDeploymentReader.Read(context, resolver, root.Get(DeploymentSchema.GatewaySectionKey), groups, path);
#endif
        var unique = Deduplicate(context.Redact(diagnostics));
        var organization = groups.Count > 0 ? groups[0].Organization : new OrganizationSettings(deploymentName, $"basalt.{deploymentName}", null, null, null);
        var file = unique.Any(d => d.IsError) ? null : new DeploymentFile(path, deploymentName, organization, groups)
#if NET10_0_OR_GREATER
        {
            Gateway = gateway,
            GatewaySection = gatewaySection,
        }
#endif
        ;
        return new DeploymentParseResult(file, unique);
    }

    private static List<Diagnostic> Deduplicate(List<Diagnostic> diagnostics)
    {
        var seen = new HashSet<Diagnostic>();
        var unique = new List<Diagnostic>(diagnostics.Count);
        foreach (var d in diagnostics)
        {
            if (seen.Add(d))
            {
                unique.Add(d);
            }
        }

        return unique;
    }
}
