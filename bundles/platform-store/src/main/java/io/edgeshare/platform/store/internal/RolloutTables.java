package io.edgeshare.platform.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.edgeshare.api.fleet.Rollout;
import io.edgeshare.api.fleet.RolloutOutcome;
import io.edgeshare.api.fleet.StoredPolicy;

/** Policies, rollouts and per-device outcomes. */
final class RolloutTables {
    private static final String ROLLOUT_COLUMNS =
            "id, generation, target_kind, target_value, canary_percent, state, created_at, updated_at";
    private final Database db;

    RolloutTables(Database db) {
        this.db = db;
    }

    boolean savePolicy(StoredPolicy policy) {
        if (policy.generation() < 1) {
            throw new IllegalArgumentException("a stored policy has generation 1 or more");
        }
        return db.transaction("save policy", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM policies WHERE generation = ?")) {
                q.setLong(1, policy.generation());
                try (ResultSet r = q.executeQuery()) {
                    if (r.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO policies (generation, document, created_at) VALUES (?, ?, ?)")) {
                p.setLong(1, policy.generation());
                p.setString(2, policy.document());
                p.setLong(3, policy.createdAt().toEpochMilli());
                p.executeUpdate();
            }
            return true;
        });
    }

    Optional<StoredPolicy> policy(long generation) {
        return db.transaction("read policy", c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT document, created_at FROM policies WHERE generation = ?")) {
                q.setLong(1, generation);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(new StoredPolicy(generation, r.getString(1),
                            Instant.ofEpochMilli(r.getLong(2)))) : Optional.<StoredPolicy>empty();
                }
            }
        });
    }

    long latestPolicyGeneration() {
        return db.transaction("read latest policy generation", c -> {
            try (Statement q = c.createStatement(); ResultSet r = q.executeQuery("SELECT MAX(generation) FROM policies")) {
                return r.next() ? r.getLong(1) : 0L; // MAX of no rows is NULL, read as 0
            }
        });
    }

    Rollout create(long generation, Rollout.Target target, int canaryPercent, Instant at) {
        if (canaryPercent < 0 || canaryPercent > 100) {
            throw new IllegalArgumentException("canary share must be 0..100 %");
        }
        if (target.kind() != Rollout.Target.Kind.ALL) {
            GatewayRows.deviceId(target.value()); // device, group and profile names share the device id rule
        }
        String value = target.kind() == Rollout.Target.Kind.ALL ? "" : target.value();
        return db.transaction("create rollout", c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO rollouts (generation, target_kind, target_value, "
                    + "canary_percent, state, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setLong(1, generation);
                p.setString(2, target.kind().name());
                p.setString(3, value);
                p.setInt(4, canaryPercent);
                p.setString(5, Rollout.State.PENDING.name());
                p.setLong(6, at.toEpochMilli());
                p.setLong(7, at.toEpochMilli());
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    return new Rollout(keys.getLong(1), generation, new Rollout.Target(target.kind(), value),
                            canaryPercent, Rollout.State.PENDING, at, at);
                }
            }
        });
    }

    boolean update(long rolloutId, Rollout.State state, Instant at) {
        return db.transaction("update rollout", c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE rollouts SET state = ?, updated_at = ? WHERE id = ?")) {
                p.setString(1, state.name());
                p.setLong(2, at.toEpochMilli());
                p.setLong(3, rolloutId);
                return p.executeUpdate() == 1;
            }
        });
    }

    Optional<Rollout> rollout(long rolloutId) {
        return db.transaction("read rollout", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT " + ROLLOUT_COLUMNS + " FROM rollouts WHERE id = ?")) {
                q.setLong(1, rolloutId);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(readRollout(r)) : Optional.<Rollout>empty();
                }
            }
        });
    }

    List<Rollout> rollouts(int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000");
        }
        return db.transaction("list rollouts", c -> {
            List<Rollout> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT " + ROLLOUT_COLUMNS
                    + " FROM rollouts ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY");
                    ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    out.add(readRollout(r));
                }
            }
            return out;
        });
    }

    boolean recordOutcome(RolloutOutcome o) {
        String id = GatewayRows.deviceId(o.deviceId());
        String detail = o.detail() == null ? "" : o.detail();
        if (detail.length() > 1024) {
            detail = detail.substring(0, 1024);
        }
        String d = detail;
        return db.transaction("record outcome", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM rollouts WHERE id = ? FOR UPDATE")) {
                q.setLong(1, o.rolloutId());
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement u = c.prepareStatement("UPDATE rollout_outcomes SET state = ?, detail = ?, "
                    + "recorded_at = ? WHERE rollout_id = ? AND device_id = ?")) {
                u.setString(1, o.state().name());
                u.setString(2, d);
                u.setLong(3, o.at().toEpochMilli());
                u.setLong(4, o.rolloutId());
                u.setString(5, id);
                if (u.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement i = c.prepareStatement("INSERT INTO rollout_outcomes (rollout_id, device_id, state, "
                    + "detail, recorded_at) VALUES (?, ?, ?, ?, ?)")) {
                i.setLong(1, o.rolloutId());
                i.setString(2, id);
                i.setString(3, o.state().name());
                i.setString(4, d);
                i.setLong(5, o.at().toEpochMilli());
                i.executeUpdate();
            }
            return true;
        });
    }

    List<RolloutOutcome> outcomes(long rolloutId) {
        return db.transaction("read outcomes", c -> {
            List<RolloutOutcome> out = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT device_id, state, detail, recorded_at FROM "
                    + "rollout_outcomes WHERE rollout_id = ? ORDER BY device_id")) {
                q.setLong(1, rolloutId);
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

    private static Rollout readRollout(ResultSet r) throws SQLException {
        return new Rollout(r.getLong(1), r.getLong(2), new Rollout.Target(Rollout.Target.Kind.valueOf(r.getString(3)),
                r.getString(4)), r.getInt(5), Rollout.State.valueOf(r.getString(6)),
                Instant.ofEpochMilli(r.getLong(7)), Instant.ofEpochMilli(r.getLong(8)));
    }
}
