namespace FleetInfra.Hosting.Publishing.Diff;

/// <summary>The diff's base is not a tree FleetInfra published (or cannot be read as one); the message says what is wrong.</summary>
internal sealed class NotAPublishedTreeException(string message) : Exception(message);
