package io.edgeshare.api.fleet;

import java.util.List;

/**
 * How a rollout proceeds.
 *
 * @param stages            cumulative shares of the target in percent, increasing, the last one 100: the first is
 *                          the canary when the rollout has one (e.g. {@code [5, 10, 50, 100]})
 * @param waveIntervalS     seconds a stage soaks before the next one is sent (0: at once)
 * @param rejectedPercent   halts when more than this share of the decided gateways rejected
 * @param revertedPercent   halts when more than this share of the decided gateways reverted
 * @param minOutcomes       decided gateways needed before the shares count (at least 1)
 */
public record RolloutPlan(List<Integer> stages, int waveIntervalS, int rejectedPercent, int revertedPercent,
        int minOutcomes) {

    public RolloutPlan {
        stages = List.copyOf(stages);
        if (stages.isEmpty() || stages.size() > 20) {
            throw new IllegalArgumentException("a rollout has 1 to 20 stages");
        }
        int before = 0;
        for (int s : stages) {
            if (s <= before || s > 100) {
                throw new IllegalArgumentException("stages must increase within 1..100 %, got " + stages);
            }
            before = s;
        }
        if (before != 100) {
            throw new IllegalArgumentException("the last stage must be 100 %, got " + stages);
        }
        if (waveIntervalS < 0 || waveIntervalS > 7 * 86_400) {
            throw new IllegalArgumentException("waveIntervalS must be 0..604800");
        }
        if (rejectedPercent < 0 || rejectedPercent > 100 || revertedPercent < 0 || revertedPercent > 100) {
            throw new IllegalArgumentException("halt shares must be 0..100 %");
        }
        if (minOutcomes < 1) {
            throw new IllegalArgumentException("minOutcomes must be at least 1");
        }
    }

    /** Everything at once, halting only on a majority of failures: how a rollback goes. */
    public static RolloutPlan immediate() {
        return new RolloutPlan(List.of(100), 0, 50, 50, 1);
    }
}
