package io.edgeshare.platform.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import io.edgeshare.api.ap.GeoLocation;
import io.edgeshare.api.fleet.Gateway;

/** The {@code gateways} row as a {@link Gateway}, and the small steps every write shares. */
final class GatewayRows {
    /**
     * Selected {@code FROM gateways}. A report does not write its gateway's row: "last seen" is the later of the
     * row's own time (birth, death) and the gateway's last report.
     */
    static final String COLUMNS = "device_id, profile, group_name, model, firmware, latitude, longitude, portal_url, "
            + "capabilities, online, birth_seq, GREATEST(last_seen, COALESCE((SELECT lr.received_at FROM last_reports "
            + "lr WHERE lr.device_id = gateways.device_id), 0)) AS last_seen, catalog_rev, version";
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private GatewayRows() {
    }

    /** Contract K1: refuses anything that is not a device id before it reaches SQL. */
    static String deviceId(String id) {
        if (id == null || !DEVICE_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a device id (K1: [A-Za-z0-9._-]{1,64})");
        }
        return id;
    }

    static boolean exists(Connection c, String id) throws SQLException {
        return hasRow(c, "gateways", id);
    }

    /** Whether {@code table} (one of ours, keyed by device_id) has a row for the device. */
    static boolean hasRow(Connection c, String table, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM " + table + " WHERE device_id = ?")) {
            q.setString(1, id);
            try (ResultSet r = q.executeQuery()) {
                return r.next();
            }
        }
    }

    static Gateway read(ResultSet r) throws SQLException {
        double lat = r.getDouble("latitude");
        boolean hasLocation = !r.wasNull();
        double lon = r.getDouble("longitude");
        hasLocation &= !r.wasNull();
        String caps = r.getString("capabilities");
        return new Gateway(r.getString("device_id"), r.getString("profile"), r.getString("group_name"),
                r.getString("model"), r.getString("firmware"), hasLocation ? new GeoLocation(lat, lon) : null,
                r.getString("portal_url"), caps.isEmpty() ? List.of() : Arrays.asList(caps.split(",")),
                r.getBoolean("online"), r.getLong("birth_seq"), Instant.ofEpochMilli(r.getLong("last_seen")),
                r.getLong("catalog_rev"), r.getLong("version"));
    }

    /**
     * Takes the next change version. The counter's row lock is held until the transaction ends, so no other
     * change commits in between: a reader that has seen version n has seen every version below it.
     */
    static long nextVersion(Connection c) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE change_counter SET version = version + 1 WHERE id = 1")) {
            u.executeUpdate();
        }
        return currentVersion(c);
    }

    static long currentVersion(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT version FROM change_counter WHERE id = 1");
                ResultSet r = q.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The latest birth seq of a decommissioned gateway, or -1 if it is not decommissioned. */
    static long tombstoneSeq(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT last_birth_seq FROM decommissioned_gateways WHERE device_id = ?")) {
            q.setString(1, deviceId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    /** Locks the gateway's row: its birth seq, or -1 (and nothing locked) if there is no row. */
    static long lockBirthSeq(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT birth_seq FROM gateways WHERE device_id = ? FOR UPDATE")) {
            q.setString(1, deviceId);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? r.getLong(1) : -1;
            }
        }
    }

    /** A gateway known only from a report, catalog or will: offline, nothing else known yet. */
    static void insertUnknown(Connection c, String deviceId, long seq, Instant at, long version) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO gateways (device_id, online, birth_seq, last_seen, version) VALUES (?, FALSE, ?, ?, ?)")) {
            p.setString(1, deviceId);
            p.setLong(2, seq);
            p.setLong(3, at.toEpochMilli());
            p.setLong(4, version);
            p.executeUpdate();
        }
    }

    static void deleteTombstone(Connection c, String deviceId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM decommissioned_gateways WHERE device_id = ?")) {
            p.setString(1, deviceId);
            p.executeUpdate();
        }
    }
}
