namespace Basalt.Gateway.Translation;

/// <summary>A request the gateway refuses before any upstream call (rule <c>reject</c>, malformed body): a 400 to the client.</summary>
internal sealed class TranslationError(string message) : Exception(message)
{
}
