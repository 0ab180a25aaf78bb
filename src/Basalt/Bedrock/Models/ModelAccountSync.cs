namespace Basalt.Bedrock.Models;

/// <summary>
/// <c>basalt models sync</c>: reads what the account can use in one region — ListFoundationModels and
/// ListInferenceProfiles through <see cref="BedrockControlPlaneClient"/> (Bedrock lists only what the account may
/// use there) — as an <see cref="AccountModelAccess"/>, written as a catalogue override file that deployment
/// validation reads (<c>modelCatalogue: files:</c>).
/// </summary>
public static class ModelAccountSync
{
    public static async Task<AccountModelAccess> ReadAsync(BedrockControlPlaneClient client, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var foundation = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var model in client.ListFoundationModelsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (model.IsActive)
            {
                foundation.Add(model.ModelId);
            }
        }

        var profiles = new HashSet<string>(StringComparer.Ordinal);
        string? account = null;
        await foreach (var profile in client.ListInferenceProfilesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!profile.IsActive)
            {
                continue;
            }

            profiles.Add(profile.Id);
            // Profile ARNs carry the account: arn:aws:bedrock:us-east-1:123456789012:inference-profile/…
            if (account is null && profile.Arn?.Split(':') is { Length: > 5 } parts && parts[4].Length == 12)
            {
                account = parts[4];
            }
        }

        return new AccountModelAccess(account, client.Options.Region, (time ?? TimeProvider.System).GetUtcNow(), foundation, profiles);
    }
}
