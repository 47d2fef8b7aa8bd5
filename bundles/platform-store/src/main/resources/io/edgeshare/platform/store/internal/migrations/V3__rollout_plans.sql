-- V3: a rollout's plan (stages, soak time, halt thresholds) and progress, kept with it so a restart resumes it.
-- Rollouts made before V3 read as one stage of 100 %.

ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS stages VARCHAR(200) DEFAULT '100' NOT NULL;
ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS wave_interval_s INT DEFAULT 0 NOT NULL;
ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS rejected_percent INT DEFAULT 100 NOT NULL;
ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS reverted_percent INT DEFAULT 100 NOT NULL;
ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS min_outcomes INT DEFAULT 1 NOT NULL;
ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS stage INT DEFAULT -1 NOT NULL;
ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS stage_started_at BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS restores BIGINT DEFAULT -1 NOT NULL;
ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS note VARCHAR(1024) DEFAULT '' NOT NULL;
ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS base_decided BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS base_rejected BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE rollouts ADD COLUMN IF NOT EXISTS base_reverted BIGINT DEFAULT 0 NOT NULL;
CREATE INDEX IF NOT EXISTS rollouts_by_generation ON rollouts (generation);
CREATE INDEX IF NOT EXISTS rollouts_by_state ON rollouts (state);
