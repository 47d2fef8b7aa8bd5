package io.edgeshare.api.policy;

import java.time.Instant;

/**
 * Which sharing policy a gateway runs and what happened to the latest one offered to it.
 *
 * @param runningGeneration generation actually applied (0 when running the profile's defaults)
 * @param lastOffered       generation of the latest document received, applied or not (as claimed by the
 *                          document when it was rejected before its signature was checked; 0 if unreadable)
 * @param lastOutcome       {@code applied}, {@code rejected} or {@code reverted}; {@code none} before any
 *                          document was offered or restored
 * @param reason            why it was rejected or reverted, as {@code code: detail} (codes in docs/policy.md);
 *                          empty when applied
 * @param at                when the outcome was decided
 */
public record PolicyState(long runningGeneration, long lastOffered, String lastOutcome, String reason, Instant at) {
}
