package io.edgeshare.policy.internal;

import java.time.Duration;
import java.util.Set;

/** Decides whether the gateway is healthy after a policy changed some configurations. */
interface HealthCheck {

    /** Notes, before the change, what is healthy now, so only regressions count afterwards. */
    Probe start(Set<String> pids);

    interface Probe {
        /**
         * Waits up to {@code timeout} for the affected components to take generation {@code generation}.
         *
         * @return empty when healthy, else what is wrong
         */
        String await(long generation, Duration timeout) throws InterruptedException;

        /** What the probe watches, for the log. */
        default String watching() {
            return "nothing";
        }
    }

    /** No check: for tests and for a runtime without DS introspection. */
    HealthCheck NONE = pids -> (generation, timeout) -> "";
}
