package io.edgeshare.api.policy;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of every policy decision the gateway takes: a document offered and applied, rejected or reverted,
 * and the last known good policy restored at boot. The uplink registers one to report the generation the
 * gateway actually runs.
 */
@ConsumerType
public interface PolicyListener {

    /**
     * Called after each decision, on the policy engine's thread; must return quickly (hand off any I/O).
     *
     * @param state the state after the decision
     */
    void policyChanged(PolicyState state);
}
