package io.edgeshare.api.fleet;

import java.time.Instant;

/** What one gateway did with a rollout's policy; {@code detail} carries a rejection reason, else empty. */
public record RolloutOutcome(long rolloutId, String deviceId, State state, String detail, Instant at) {
    public enum State { SENT, APPLIED, REJECTED, REVERTED }
}
