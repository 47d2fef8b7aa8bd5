package io.edgeshare.api.fleet;

import java.time.Instant;

/** A policy generation rolling out to a target in stages. */
public record Rollout(long id, long generation, Target target, int canaryPercent, State state, Instant createdAt,
        Instant updatedAt) {

    public enum State { PENDING, CANARY, WAVES, HALTED, COMPLETED, ABORTED, ROLLED_BACK;

        /** Still sending stages (HALTED waits for the operator). */
        public boolean active() {
            return this == PENDING || this == CANARY || this == WAVES;
        }
    }

    /**
     * A device, a group, a profile (value names it), everyone (value empty), or a list of devices (value empty:
     * the rollout's outcomes name them).
     */
    public record Target(Kind kind, String value) {
        public enum Kind { DEVICE, GROUP, PROFILE, ALL, DEVICES }
    }
}
