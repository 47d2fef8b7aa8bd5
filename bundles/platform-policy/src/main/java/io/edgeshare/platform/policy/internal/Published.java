package io.edgeshare.platform.policy.internal;

import java.time.Instant;
import java.util.List;

/**
 * One signed policy as published.
 *
 * @param generation  its generation, unique and increasing on this platform
 * @param publishedAt when it was signed and published
 * @param targets     as the operator asked: {@code ["all"]} or device ids
 * @param comment     the operator's note (may be empty)
 * @param rollbackOf  the generation whose content it republishes, or 0
 * @param payload     the signed policy JSON, exactly as signed
 * @param envelope    the document sent to the gateways
 * @param staged      sent by a rollout in stages: it is current only on the gateways it was delivered to, and
 *                    handed to newcomers only once its rollout completed
 */
record Published(long generation, Instant publishedAt, List<String> targets, String comment, long rollbackOf,
        String payload, String envelope, boolean staged) {

    static final String ALL = "all";

    boolean toAll() {
        return targets.contains(ALL);
    }
}
