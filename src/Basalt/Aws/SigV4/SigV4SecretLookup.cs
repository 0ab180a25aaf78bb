namespace Basalt.Aws;

/// <summary>Returns the secret access key of <paramref name="accessKeyId"/>, or null when the key is unknown.</summary>
public delegate ValueTask<string?> SigV4SecretLookup(string accessKeyId, CancellationToken cancellationToken);
