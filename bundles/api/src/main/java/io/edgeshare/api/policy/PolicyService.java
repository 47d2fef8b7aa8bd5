package io.edgeshare.api.policy;

import org.osgi.annotation.versioning.ProviderType;

/** The gateway's policy engine: verifies, applies and rolls back sharing policies. */
@ProviderType
public interface PolicyService {

    /** What runs now. */
    PolicyState state();

    /**
     * Offers a signed policy document as received from the platform.
     *
     * @param document the raw document bytes (JSON with signature)
     * @return the outcome; the running policy is unchanged unless the outcome is {@code applied}
     */
    PolicyState offer(byte[] document);
}
