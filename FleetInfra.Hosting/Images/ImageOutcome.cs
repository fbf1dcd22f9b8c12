namespace FleetInfra.Hosting.Images;

/// <summary>What the up-front check found for one container's image.</summary>
/// <param name="Image">The full reference, as the container runtime is asked for it.</param>
/// <param name="Available">True when the image is local (found, or pulled now).</param>
/// <param name="Pulled">True when it had to be pulled.</param>
/// <param name="Error">The runtime's reason (first line of the pull error) when it is not available.</param>
/// <param name="Elapsed">How long the check and pull took.</param>
internal sealed record ImageOutcome(string Image, bool Available, bool Pulled, string? Error, TimeSpan Elapsed);
