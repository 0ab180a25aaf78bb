namespace Basalt.Identity.OAuth;

/// <summary>Why the user-code page did not go on to the IdP: a message for the person and the page's status.</summary>
public sealed record UserCodeRefusal(string Message, int Status)
{
    public static UserCodeRefusal Unknown { get; } = new("That code is not valid, was already used, or has expired. Check the code shown on your device.", 400);

    /// <summary>RFC 8628 §5.1: the code was right, but so many wrong ones were tried while it was pending that it is no longer trusted.</summary>
    public static UserCodeRefusal Exposed { get; } = new("Too many wrong codes were entered at this gateway while this code was waiting, so it was cancelled to be safe. Start the sign-in again on your device to get a new code.", 400);

    /// <summary>RFC 8628 §5.1: too many wrong codes; nothing is looked up until the window ends.</summary>
    public static UserCodeRefusal TooManyAttempts(TimeSpan retryAfter)
        => new($"Too many wrong codes were entered. Try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes))} minutes.", 429);
}
