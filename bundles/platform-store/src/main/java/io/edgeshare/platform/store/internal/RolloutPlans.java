package io.edgeshare.platform.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.edgeshare.api.fleet.Rollout;
import io.edgeshare.api.fleet.RolloutOutcome;
import io.edgeshare.api.fleet.RolloutPlan;
import io.edgeshare.api.fleet.RolloutProgress;

/** Staged rollouts (schema V3): a rollout with its plan, progress and targeted gateways; paged reads. */
final class RolloutPlans {
    private static final String COLUMNS = "id, generation, target_kind, target_value, canary_percent, state, "
            + "created_at, updated_at";
    private static final String PROGRESS = "stages, wave_interval_s, rejected_percent, reverted_percent, "
            + "min_outcomes, stage, stage_started_at, restores, note, base_decided, base_rejected, base_reverted";
    private static final int BATCH = 500;
    private final Database db;

    RolloutPlans(Database db) {
        this.db = db;
    }

    Rollout create(long generation, Rollout.Target target, RolloutPlan plan, long restores, List<String> devices,
            Instant at) {
        String value = switch (target.kind()) {
            case ALL, DEVICES -> "";
            default -> GatewayRows.deviceId(target.value()); // group and profile names follow the device id rule
        };
        List<String> ids = List.copyOf(new LinkedHashSet<>(devices));
        ids.forEach(GatewayRows::deviceId);
        int canary = plan.stages().size() > 1 ? plan.stages().get(0) : 0;
        return db.transaction("create rollout", c -> {
            long id;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO rollouts (generation, target_kind, "
                    + "target_value, canary_percent, state, created_at, updated_at, " + PROGRESS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, -1, ?, ?, '', 0, 0, 0)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setLong(1, generation);
                p.setString(2, target.kind().name());
                p.setString(3, value);
                p.setInt(4, canary);
                p.setString(5, Rollout.State.PENDING.name());
                p.setLong(6, at.toEpochMilli());
                p.setLong(7, at.toEpochMilli());
                p.setString(8, plan.stages().stream().map(String::valueOf).collect(Collectors.joining(",")));
                p.setInt(9, plan.waveIntervalS());
                p.setInt(10, plan.rejectedPercent());
                p.setInt(11, plan.revertedPercent());
                p.setInt(12, plan.minOutcomes());
                p.setLong(13, at.toEpochMilli());
                p.setLong(14, restores);
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO rollout_outcomes (rollout_id, device_id, "
                    + "state, detail, recorded_at) VALUES (?, ?, ?, '', ?)")) {
                int n = 0;
                for (String d : ids) {
                    i.setLong(1, id);
                    i.setString(2, d);
                    i.setString(3, RolloutOutcome.State.PENDING.name());
                    i.setLong(4, at.toEpochMilli());
                    i.addBatch();
                    if (++n % BATCH == 0) {
                        i.executeBatch();
                    }
                }
                i.executeBatch();
            }
            return new Rollout(id, generation, new Rollout.Target(target.kind(), value), canary,
                    Rollout.State.PENDING, at, at);
        });
    }

    boolean update(Rollout.State state, RolloutProgress p, Instant at) {
        return db.transaction("update rollout", c -> {
            try (PreparedStatement u = c.prepareStatement("UPDATE rollouts SET state = ?, updated_at = ?, stage = ?, "
                    + "stage_started_at = ?, note = ?, base_decided = ?, base_rejected = ?, base_reverted = ? "
                    + "WHERE id = ?")) {
                u.setString(1, state.name());
                u.setLong(2, at.toEpochMilli());
                u.setInt(3, p.stage());
                u.setLong(4, p.stageStartedAt().toEpochMilli());
                u.setString(5, p.note().length() > 1024 ? p.note().substring(0, 1024) : p.note());
                u.setLong(6, p.baseDecided());
                u.setLong(7, p.baseRejected());
                u.setLong(8, p.baseReverted());
                u.setLong(9, p.rolloutId());
                return u.executeUpdate() == 1;
            }
        });
    }

    Optional<RolloutProgress> progress(long rolloutId) {
        return db.transaction("read rollout progress", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + PROGRESS + " FROM rollouts WHERE id = ?")) {
                q.setLong(1, rolloutId);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        return Optional.<RolloutProgress>empty();
                    }
                    List<Integer> stages = Arrays.stream(r.getString(1).split(",")).map(String::strip)
                            .map(Integer::valueOf).toList();
                    RolloutPlan plan = new RolloutPlan(stages, r.getInt(2), r.getInt(3), r.getInt(4), r.getInt(5));
                    return Optional.of(new RolloutProgress(rolloutId, plan, r.getInt(6),
                            Instant.ofEpochMilli(r.getLong(7)), r.getLong(8), r.getString(9), r.getLong(10),
                            r.getLong(11), r.getLong(12)));
                }
            }
        });
    }

    List<Rollout> page(long beforeId, int limit) {
        checkLimit(limit);
        return list("list rollouts", "SELECT " + COLUMNS + " FROM rollouts WHERE id < ? ORDER BY id DESC FETCH FIRST "
                + limit + " ROWS ONLY", beforeId);
    }

    List<Rollout> active() {
        return list("list active rollouts", "SELECT " + COLUMNS + " FROM rollouts WHERE state IN ('PENDING', "
                + "'CANARY', 'WAVES') AND id > ? ORDER BY id", -1L);
    }

    Optional<Rollout> ofGeneration(long generation) {
        List<Rollout> l = list("rollout of generation", "SELECT " + COLUMNS + " FROM rollouts WHERE generation = ? "
                + "ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", generation);
        return l.stream().findFirst();
    }

    private List<Rollout> list(String operation, String sql, long arg) {
        return db.transaction(operation, c -> {
            List<Rollout> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setLong(1, arg);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new Rollout(r.getLong(1), r.getLong(2), new Rollout.Target(
                                Rollout.Target.Kind.valueOf(r.getString(3)), r.getString(4)), r.getInt(5),
                                Rollout.State.valueOf(r.getString(6)), Instant.ofEpochMilli(r.getLong(7)),
                                Instant.ofEpochMilli(r.getLong(8))));
                    }
                }
            }
            return out;
        });
    }

    int updateOutcomes(List<RolloutOutcome> outcomes) {
        if (outcomes.isEmpty()) {
            return 0;
        }
        return db.transaction("record outcomes", c -> update(c, outcomes));
    }

    private static int update(Connection c, List<RolloutOutcome> outcomes) throws SQLException {
        int n = 0;
        // SENT only moves a PENDING gateway: a report that raced ahead of the send's own bookkeeping stays
        try (PreparedStatement u = c.prepareStatement("UPDATE rollout_outcomes SET state = ?, detail = ?, "
                + "recorded_at = ? WHERE rollout_id = ? AND device_id = ? AND (? <> 'SENT' OR state = 'PENDING')")) {
            int pending = 0;
            for (RolloutOutcome o : outcomes) {
                String detail = o.detail() == null ? "" : o.detail();
                u.setString(1, o.state().name());
                u.setString(2, detail.length() > 1024 ? detail.substring(0, 1024) : detail);
                u.setLong(3, o.at().toEpochMilli());
                u.setLong(4, o.rolloutId());
                u.setString(5, o.deviceId());
                u.setString(6, o.state().name());
                u.addBatch();
                if (++pending == BATCH) {
                    n += sum(u.executeBatch());
                    pending = 0;
                }
            }
            n += sum(u.executeBatch());
        }
        return n;
    }

    private static int sum(int[] counts) {
        int n = 0;
        for (int x : counts) {
            n += x > 0 || x == Statement.SUCCESS_NO_INFO ? 1 : 0;
        }
        return n;
    }

    List<RolloutOutcome> outcomes(long rolloutId, RolloutOutcome.State state, String afterDevice, int limit) {
        checkLimit(limit);
        String sql = "SELECT device_id, state, detail, recorded_at FROM rollout_outcomes WHERE rollout_id = ? "
                + "AND device_id > ?" + (state == null ? "" : " AND state = ?") + " ORDER BY device_id FETCH FIRST "
                + limit + " ROWS ONLY";
        return db.transaction("read outcomes", c -> {
            List<RolloutOutcome> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement(sql)) {
                q.setLong(1, rolloutId);
                q.setString(2, afterDevice == null ? "" : afterDevice);
                if (state != null) {
                    q.setString(3, state.name());
                }
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new RolloutOutcome(rolloutId, r.getString(1),
                                RolloutOutcome.State.valueOf(r.getString(2)), r.getString(3),
                                Instant.ofEpochMilli(r.getLong(4))));
                    }
                }
            }
            return out;
        });
    }

    List<RolloutOutcome> outcomesOfDevice(String deviceId, int limit) {
        checkLimit(limit);
        String id = GatewayRows.deviceId(deviceId);
        return db.transaction("read device outcomes", c -> {
            List<RolloutOutcome> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT rollout_id, state, detail, recorded_at "
                    + "FROM rollout_outcomes WHERE device_id = ? ORDER BY rollout_id DESC FETCH FIRST " + limit
                    + " ROWS ONLY")) {
                q.setString(1, id);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        out.add(new RolloutOutcome(r.getLong(1), id, RolloutOutcome.State.valueOf(r.getString(2)),
                                r.getString(3), Instant.ofEpochMilli(r.getLong(4))));
                    }
                }
            }
            return out;
        });
    }

    Map<RolloutOutcome.State, Long> counts(long rolloutId) {
        return db.transaction("count outcomes", c -> {
            Map<RolloutOutcome.State, Long> m = new EnumMap<>(RolloutOutcome.State.class);
            try (PreparedStatement q = c.prepareStatement("SELECT state, COUNT(*) FROM rollout_outcomes "
                    + "WHERE rollout_id = ? GROUP BY state")) {
                q.setLong(1, rolloutId);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        m.put(RolloutOutcome.State.valueOf(r.getString(1)), r.getLong(2));
                    }
                }
            }
            return m;
        });
    }

    private static void checkLimit(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000");
        }
    }
}
