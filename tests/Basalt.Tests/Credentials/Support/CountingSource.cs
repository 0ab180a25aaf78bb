using Basalt.Aws;
using Basalt.Credentials;

namespace Basalt.Tests.Credentials.Support;

/// <summary>A source that issues new credentials on every call and counts the calls (a "sign-in" counter).</summary>
internal sealed class CountingSource(TimeProvider time, TimeSpan lifetime, TimeSpan? work = null) : ICredentialSource
{
    private int _calls;

    public int Calls => _calls;

    public string Kind => "counting";

    public async ValueTask<AwsCredentials> GetCredentialsAsync(CredentialRequest request, CancellationToken cancellationToken)
    {
        var n = Interlocked.Increment(ref _calls);
        if (work is { } w)
        {
            await Task.Delay(w, cancellationToken);
        }

        return new AwsCredentials($"ASIACOUNTING{n:D8}", $"secret-{n}-{Guid.NewGuid():N}", $"token-{n}", time.GetUtcNow() + lifetime);
    }
}

/// <summary>A clock the test sets.</summary>
internal sealed class SettableTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
