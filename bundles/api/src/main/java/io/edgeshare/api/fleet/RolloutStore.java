package io.edgeshare.api.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Policies, their rollouts and what each targeted gateway did with them, kept across restarts. Calls fail with
 * {@link FleetStoreException} when the database cannot be reached.
 */
@ProviderType
public interface RolloutStore {

    /** Keeps a signed policy document under its generation; false if that generation is already stored. */
    boolean savePolicy(StoredPolicy policy);

    Optional<StoredPolicy> policy(long generation);

    /** Starts tracking a rollout of a stored generation; its id is assigned by the store. */
    Rollout createRollout(long generation, Rollout.Target target, int canaryPercent, Instant at);

    /** @return false if there is no such rollout */
    boolean updateRollout(long rolloutId, Rollout.State state, Instant at);

    Optional<Rollout> rollout(long rolloutId);

    /** Newest first. */
    List<Rollout> rollouts(int limit);

    /** Records (or replaces) one gateway's outcome within a rollout. @return false if the rollout is unknown */
    boolean recordOutcome(RolloutOutcome outcome);

    /** Ordered by device id. */
    List<RolloutOutcome> outcomes(long rolloutId);
}
