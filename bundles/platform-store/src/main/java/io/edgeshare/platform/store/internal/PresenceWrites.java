package io.edgeshare.platform.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.edgeshare.api.fleet.GatewayBirth;
import io.edgeshare.api.fleet.GatewayReport;

/** Births, deaths, reports, groups and decommissioning: the seq rules of the fleet registry, in SQL. */
final class PresenceWrites {
    private final Database db;
    private final ReportHistory history;

    PresenceWrites(Database db, ReportHistory history) {
        this.db = db;
        this.history = history;
    }

    boolean birth(GatewayBirth b) {
        return births(List.of(b)).get(0);
    }

    /** Several births in one transaction (one commit, one disk sync): what a reconnecting fleet needs. */
    List<Boolean> births(List<GatewayBirth> batch) {
        batch.forEach(b -> GatewayRows.deviceId(b.deviceId()));
        return db.transaction("births", c -> {
            Versions versions = new Versions(c);
            List<Boolean> accepted = new ArrayList<>(batch.size());
            for (GatewayBirth b : batch) {
                accepted.add(birth(c, b, versions));
            }
            if (!versions.used) {
                c.rollback(); // nothing accepted: give the version back
            }
            return accepted;
        });
    }

    private static boolean birth(Connection c, GatewayBirth b, Versions versions) throws SQLException {
        String id = b.deviceId();
        long current = GatewayRows.lockBirthSeq(c, id);
        if (current < 0) {
            long tombstone = GatewayRows.tombstoneSeq(c, id);
            if (tombstone >= 0 && b.seq() <= tombstone) {
                return false; // a stale retained birth of a removed gateway
            }
        } else if (b.seq() < current) {
            return false; // older than the birth or death we have
        }
        long version = versions.take(c);
        if (current < 0) {
            GatewayRows.deleteTombstone(c, id);
            GatewayRows.insertUnknown(c, id, b.seq(), b.at(), version);
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE gateways SET profile = ?, model = ?, firmware = ?, "
                + "latitude = ?, longitude = ?, portal_url = ?, capabilities = ?, online = TRUE, birth_seq = ?, "
                + "last_seen = ?, version = ? WHERE device_id = ?")) {
            p.setString(1, b.profile());
            p.setString(2, b.model());
            p.setString(3, b.firmware());
            p.setObject(4, b.location() == null ? null : b.location().latitude(), java.sql.Types.DOUBLE);
            p.setObject(5, b.location() == null ? null : b.location().longitude(), java.sql.Types.DOUBLE);
            p.setString(6, b.portalUrl());
            p.setString(7, String.join(",", b.capabilities()));
            p.setLong(8, b.seq());
            p.setLong(9, b.at().toEpochMilli());
            p.setLong(10, version);
            p.setString(11, id);
            p.executeUpdate();
        }
        return true;
    }

    /**
     * Consecutive change versions inside one transaction. The first is taken up front so a writer locks the
     * counter before any gateway row; later ones only when a write is accepted. (A report batch registering an
     * unknown gateway takes the counter after rows: the database detects that rare deadlock and the batch is
     * retried.)
     */
    private static final class Versions {
        private long next;
        private boolean used;

        Versions(Connection c) throws SQLException {
            next = GatewayRows.nextVersion(c);
        }

        long take(Connection c) throws SQLException {
            if (used) {
                next = GatewayRows.nextVersion(c);
            }
            used = true;
            return next;
        }
    }

    boolean death(String deviceId, long seq, Instant at) {
        String id = GatewayRows.deviceId(deviceId);
        return db.transaction("death", c -> {
            boolean accepted = death(c, id, seq, at);
            if (!accepted) {
                c.rollback(); // a late will from an older session, or of a removed gateway: give the version back
            }
            return accepted;
        });
    }

    /** A birth inside the caller's transaction; when it is refused the caller rolls back what it wrote. */
    static boolean birth(Connection c, GatewayBirth b) throws SQLException {
        return birth(c, b, new Versions(c));
    }

    /** A death inside the caller's transaction; when it is refused the caller rolls back what it wrote. */
    static boolean death(Connection c, String id, long seq, Instant at) throws SQLException {
        long version = GatewayRows.nextVersion(c);
        long current = GatewayRows.lockBirthSeq(c, id);
        if (current < 0) {
            long tombstone = GatewayRows.tombstoneSeq(c, id);
            if (tombstone >= 0 && seq <= tombstone) {
                return false;
            }
            GatewayRows.deleteTombstone(c, id);
            GatewayRows.insertUnknown(c, id, seq, at, version);
            return true;
        }
        if (seq < current) {
            return false; // a late will from an older session
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE gateways SET online = FALSE, birth_seq = ?, "
                + "last_seen = ?, version = ? WHERE device_id = ?")) {
            p.setLong(1, seq);
            p.setLong(2, at.toEpochMilli());
            p.setLong(3, version);
            p.setString(4, id);
            p.executeUpdate();
        }
        return true;
    }

    /**
     * Reports are frequent and make no change entry: a known gateway's report writes only its last report and
     * history, not its {@code gateways} row (its "last seen" is the later of that row's and its last report's
     * time, see {@link GatewayRows#COLUMNS}), so report ingest neither queues behind the change counter nor
     * rewrites the gateway's row a thousand times a second. A gateway decommissioned meanwhile makes the last
     * report's insert a foreign-key violation, which {@link Database} retries: then it is unknown.
     */
    boolean report(String deviceId, String document, Instant at) {
        return reports(List.of(new GatewayReport(deviceId, at, document))).get(0);
    }

    /** Several reports in one transaction (one commit, one disk sync). */
    List<Boolean> reports(List<GatewayReport> batch) {
        batch.forEach(r -> GatewayRows.deviceId(r.deviceId()));
        return db.transaction("reports", c -> {
            List<Boolean> kept = new ArrayList<>(batch.size());
            for (GatewayReport r : batch) {
                kept.add(report(c, r));
            }
            return kept;
        });
    }

    private boolean report(Connection c, GatewayReport r) throws SQLException {
        String id = r.deviceId();
        long at = r.receivedAt().toEpochMilli();
        if (!GatewayRows.exists(c, id)) {
            if (GatewayRows.tombstoneSeq(c, id) >= 0) {
                return false; // nothing written for it
            }
            GatewayRows.insertUnknown(c, id, 0, r.receivedAt(), GatewayRows.nextVersion(c));
        }
        // an older report arriving late goes into the history but does not replace the last report
        try (PreparedStatement u = c.prepareStatement(
                "UPDATE last_reports SET received_at = ?, document = ? WHERE device_id = ? AND received_at <= ?")) {
            u.setLong(1, at);
            u.setString(2, r.document());
            u.setString(3, id);
            u.setLong(4, at);
            if (u.executeUpdate() == 1 || GatewayRows.hasRow(c, "last_reports", id)) {
                history.add(c, r);
                return true;
            }
        }
        try (PreparedStatement i = c.prepareStatement(
                "INSERT INTO last_reports (device_id, received_at, document) VALUES (?, ?, ?)")) {
            i.setString(1, id);
            i.setLong(2, at);
            i.setString(3, r.document());
            i.executeUpdate(); // a concurrent first report makes this a unique violation: the batch is retried
        }
        history.add(c, r);
        return true;
    }

    boolean assignGroup(String deviceId, String group) {
        String id = GatewayRows.deviceId(deviceId);
        String g = group == null ? "" : group;
        if (!g.isEmpty()) {
            GatewayRows.deviceId(g); // a group name follows the device id rule (it is used in policy targets)
        }
        return db.transaction("assign group", c -> {
            long version = GatewayRows.nextVersion(c);
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE gateways SET group_name = ?, version = ? WHERE device_id = ?")) {
                p.setString(1, g);
                p.setLong(2, version);
                p.setString(3, id);
                if (p.executeUpdate() == 0) {
                    c.rollback();
                    return false;
                }
            }
            return true;
        });
    }

    boolean decommission(String deviceId, Instant at) {
        String id = GatewayRows.deviceId(deviceId);
        return db.transaction("decommission", c -> {
            long version = GatewayRows.nextVersion(c);
            long seq = GatewayRows.lockBirthSeq(c, id);
            if (seq < 0) {
                c.rollback();
                return false;
            }
            try (PreparedStatement p = c.prepareStatement("DELETE FROM gateways WHERE device_id = ?")) {
                p.setString(1, id);
                p.executeUpdate(); // its report and catalog go with it (ON DELETE CASCADE)
            }
            GatewayRows.deleteTombstone(c, id);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO decommissioned_gateways "
                    + "(device_id, last_birth_seq, decommissioned_at, version) VALUES (?, ?, ?, ?)")) {
                p.setString(1, id);
                p.setLong(2, seq);
                p.setLong(3, at.toEpochMilli());
                p.setLong(4, version);
                p.executeUpdate();
            }
            return true;
        });
    }
}
