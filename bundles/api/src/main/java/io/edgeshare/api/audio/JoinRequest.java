package io.edgeshare.api.audio;

import java.time.Instant;
import java.util.Objects;

/**
 * A nearby client's request to join a channel (claims B1, B2, B8).
 *
 * @param id          request id, used in URLs
 * @param client      who asked (address or name the client gave)
 * @param requestedAt when it asked
 * @param state       {@link #PENDING}, {@link #APPROVED}, {@link #DECLINED} or {@link #EXPIRED}
 * @param ticket      once approved, the secret the listener presents on the stream URL; empty otherwise
 *                    and in lists shown to the owner
 */
public record JoinRequest(String id, String client, Instant requestedAt, String state, String ticket) {
    public static final String PENDING = "pending";
    public static final String APPROVED = "approved";
    public static final String DECLINED = "declined";
    public static final String EXPIRED = "expired";

    public JoinRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        ticket = ticket == null ? "" : ticket;
    }
}
