package io.edgeshare.api.audio;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A live audio channel that nearby listeners can join. Registered with the service property {@code id}
 * (the channel id from its configuration).
 */
@ProviderType
public interface AudioChannel {

    /** Current state. */
    ChannelStatus status();

    /** The channel id, as in {@code /audio/{id}}. */
    String id();

    /** Join requests the channel remembers, oldest first, without tickets (claim B8). */
    List<JoinRequest> joinRequests();

    /**
     * The owner approves or declines a join request; declining an approved one disconnects its listeners.
     * Empty when the id is unknown.
     */
    Optional<JoinRequest> decide(String requestId, boolean approve);

    /**
     * Asks for a track by title, artist or file name (claim B4): searched in the local library, then on the
     * configured network catalog. Returns at once; a network search continues in the background.
     *
     * @throws IllegalStateException when the queue is full
     */
    TrackRequest requestTrack(String query, String requester);

    /** The request's current state and queue position, or empty when unknown. */
    Optional<TrackRequest> trackRequest(String requestId);
}
