package io.edgeshare.api.fleet;

import java.time.Instant;

/**
 * Where a rollout stands beyond its {@link Rollout.State}.
 *
 * @param stage          index into {@link RolloutPlan#stages()} of the stage sent last, -1 before the first
 * @param stageStartedAt when that stage was sent (the creation time before the first)
 * @param restores       -1 for a new policy; else the generation whose content it brings back, 0 for "no policy"
 * @param note           why it halted, or who ended it; empty when nothing to say
 * @param baseDecided    decided outcomes when it was last resumed: the halt shares count only those after
 * @param baseRejected   rejections among them
 * @param baseReverted   reverts among them
 */
public record RolloutProgress(long rolloutId, RolloutPlan plan, int stage, Instant stageStartedAt, long restores,
        String note, long baseDecided, long baseRejected, long baseReverted) {

    public RolloutProgress {
        note = note == null ? "" : note;
    }

    public RolloutProgress withStage(int newStage, Instant at) {
        return new RolloutProgress(rolloutId, plan, newStage, at, restores, note, baseDecided, baseRejected,
                baseReverted);
    }

    public RolloutProgress withNote(String newNote) {
        return new RolloutProgress(rolloutId, plan, stage, stageStartedAt, restores, newNote, baseDecided,
                baseRejected, baseReverted);
    }

    public RolloutProgress withBase(long decided, long rejected, long reverted) {
        return new RolloutProgress(rolloutId, plan, stage, stageStartedAt, restores, note, decided, rejected,
                reverted);
    }
}
