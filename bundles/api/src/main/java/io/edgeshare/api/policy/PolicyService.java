package io.edgeshare.api.policy;

import org.osgi.annotation.versioning.ProviderType;

/** The gateway's policy engine: verifies, applies and rolls back sharing policies. */
@ProviderType
public interface PolicyService {

    /** What runs now. */
    PolicyState state();

    /**
     * Offers a signed policy document as received from the platform (the envelope in docs/policy.md).
     * Blocks until the decision is taken: verification and validation take microseconds, an apply waits for
     * the affected components' health check (bounded by the policy bundle's {@code health.timeout.ms}), so
     * call it off the MQTT client's callback thread. Offering the document that is already running, or the
     * last one decided, again (a retained message redelivered) returns the recorded state and changes
     * nothing.
     *
     * @param document the raw document bytes (JSON envelope with payload and signature)
     * @return the outcome; the running policy is unchanged unless the outcome is {@code applied}
     */
    PolicyState offer(byte[] document);
}
