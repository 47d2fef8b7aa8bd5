package io.edgeshare.api.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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

    /**
     * The highest generation stored, 0 when none: with several platform nodes a new policy takes the generation
     * after it, so generations never repeat across nodes.
     *
     * @since 1.2
     */
    long latestPolicyGeneration();

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

    /**
     * Starts a rollout with its plan and the gateways it targets (each {@code PENDING}), in one transaction.
     *
     * @param restores -1 for a new policy, else the generation whose content it brings back (0: no policy)
     * @since 1.1
     */
    Rollout createRollout(long generation, Rollout.Target target, RolloutPlan plan, long restores,
            List<String> devices, Instant at);

    /** Moves a rollout: its state and progress together. @return false if there is no such rollout @since 1.1 */
    boolean updateRollout(Rollout.State state, RolloutProgress progress, Instant at);

    /** Empty for an unknown rollout or one created without a plan. @since 1.1 */
    Optional<RolloutProgress> progress(long rolloutId);

    /** Newest first, ids below {@code beforeId} ({@code Long.MAX_VALUE} for the first page). @since 1.1 */
    List<Rollout> rollouts(long beforeId, int limit);

    /** Rollouts still sending stages ({@link Rollout.State#active()}), oldest first. @since 1.1 */
    List<Rollout> activeRollouts();

    /** The newest rollout of a generation. @since 1.1 */
    Optional<Rollout> rolloutOfGeneration(long generation);

    /**
     * Records outcomes in one transaction, each only if the gateway is one the rollout targets; {@code SENT}
     * replaces only {@code PENDING} (a gateway's decision may be recorded before its send was).
     *
     * @return how many were recorded
     * @since 1.1
     */
    int updateOutcomes(List<RolloutOutcome> outcomes);

    /**
     * One page of a rollout's outcomes, ordered by device id.
     *
     * @param state       only this state, or null for all
     * @param afterDevice the previous page's last device id, null for the first page
     * @since 1.1
     */
    List<RolloutOutcome> outcomes(long rolloutId, RolloutOutcome.State state, String afterDevice, int limit);

    /**
     * One gateway's policy history: its outcome in each rollout that targeted it, newest rollout first, at most
     * {@code limit} (1..1000).
     *
     * @since 1.2
     */
    List<RolloutOutcome> deviceOutcomes(String deviceId, int limit);

    /** How many targeted gateways are in each state (states with none are left out). @since 1.1 */
    Map<RolloutOutcome.State, Long> outcomeCounts(long rolloutId);
}
