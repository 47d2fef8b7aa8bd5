package io.edgeshare.platform.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

import io.edgeshare.api.fleet.GatewayBirth;

/** Births, deaths, reports, groups and decommissioning: the seq rules of the fleet registry, in SQL. */
final class PresenceWrites {
    private final Database db;

    PresenceWrites(Database db) {
        this.db = db;
    }

    boolean birth(GatewayBirth b) {
        String id = GatewayRows.deviceId(b.deviceId());
        return db.transaction("birth", c -> {
            long version = GatewayRows.nextVersion(c);
            long current = GatewayRows.lockBirthSeq(c, id);
            if (current < 0) {
                long tombstone = GatewayRows.tombstoneSeq(c, id);
                if (tombstone >= 0 && b.seq() <= tombstone) {
                    c.rollback(); // a stale retained birth of a removed gateway
                    return false;
                }
                GatewayRows.deleteTombstone(c, id);
                GatewayRows.insertUnknown(c, id, b.seq(), b.at(), version);
            } else if (b.seq() < current) {
                c.rollback(); // older than the birth or death we have
                return false;
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
        });
    }

    boolean death(String deviceId, long seq, Instant at) {
        String id = GatewayRows.deviceId(deviceId);
        return db.transaction("death", c -> {
            long version = GatewayRows.nextVersion(c);
            long current = GatewayRows.lockBirthSeq(c, id);
            if (current < 0) {
                long tombstone = GatewayRows.tombstoneSeq(c, id);
                if (tombstone >= 0 && seq <= tombstone) {
                    c.rollback();
                    return false;
                }
                GatewayRows.deleteTombstone(c, id);
                GatewayRows.insertUnknown(c, id, seq, at, version);
                return true;
            }
            if (seq < current) {
                c.rollback(); // a late will from an older session
                return false;
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
        });
    }

    /**
     * Reports are frequent and make no change entry: a known gateway's report touches only its own rows, so
     * report ingest does not queue behind the change counter.
     */
    boolean report(String deviceId, String document, Instant at) {
        String id = GatewayRows.deviceId(deviceId);
        return db.transaction("report", c -> {
            if (!touch(c, id, at)) {
                if (GatewayRows.tombstoneSeq(c, id) >= 0) {
                    c.rollback();
                    return false;
                }
                GatewayRows.insertUnknown(c, id, 0, at, GatewayRows.nextVersion(c));
            }
            try (PreparedStatement u = c.prepareStatement(
                    "UPDATE last_reports SET received_at = ?, document = ? WHERE device_id = ?")) {
                u.setLong(1, at.toEpochMilli());
                u.setString(2, document);
                u.setString(3, id);
                if (u.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement i = c.prepareStatement(
                    "INSERT INTO last_reports (device_id, received_at, document) VALUES (?, ?, ?)")) {
                i.setString(1, id);
                i.setLong(2, at.toEpochMilli());
                i.setString(3, document);
                i.executeUpdate(); // a concurrent first report makes this a unique violation: retried as an update
            }
            return true;
        });
    }

    private static boolean touch(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "UPDATE gateways SET last_seen = ? WHERE device_id = ? AND last_seen < ?")) {
            p.setLong(1, at.toEpochMilli());
            p.setString(2, id);
            p.setLong(3, at.toEpochMilli());
            if (p.executeUpdate() == 1) {
                return true;
            }
        }
        return GatewayRows.lockBirthSeq(c, id) >= 0;
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
