package io.edgeshare.api.fleet;

import java.time.Instant;

/**
 * What one gateway did with a rollout's policy; {@code detail} carries a rejection reason, else empty. A targeted
 * gateway is {@code PENDING} until its stage is sent.
 */
public record RolloutOutcome(long rolloutId, String deviceId, State state, String detail, Instant at) {
    public enum State { PENDING, SENT, APPLIED, REJECTED, REVERTED }
}
