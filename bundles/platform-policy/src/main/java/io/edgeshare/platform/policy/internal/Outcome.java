package io.edgeshare.platform.policy.internal;

import java.time.Instant;

/**
 * What one gateway said about one generation (from its {@code policy/reported} message).
 *
 * @param outcome {@code applied}, {@code rejected}, {@code reverted}, or {@code pending} before it reported
 * @param reason  the gateway's reason ({@code code: detail}), empty when applied
 * @param at      when the gateway decided (its clock); null while pending
 * @param seenAt  when the platform received the report; null while pending
 */
record Outcome(String outcome, String reason, Instant at, Instant seenAt) {
    static final Outcome PENDING = new Outcome("pending", "", null, null);
}
