package io.edgeshare.platform.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.edgeshare.api.fleet.GatewayReport;

/**
 * Each gateway's recent status reports: added in the same transaction as the report itself and pruned there,
 * so a gateway never holds more than {@code max} reports nor any older than {@code maxAge} behind its newest.
 */
final class ReportHistory {
    private final Database db;
    private final int max;
    private final Duration maxAge;

    ReportHistory(Database db, int max, Duration maxAge) {
        if (max < 1 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("a report history keeps at least one report for some time");
        }
        this.db = db;
        this.max = max;
        this.maxAge = maxAge;
    }

    void add(Connection c, GatewayReport r) throws SQLException {
        String id = r.deviceId();
        try (PreparedStatement i = c.prepareStatement(
                "INSERT INTO report_history (device_id, received_at, document) VALUES (?, ?, ?)")) {
            i.setString(1, id);
            i.setLong(2, r.receivedAt().toEpochMilli());
            i.setString(3, r.document());
            i.executeUpdate();
        }
        // Older than the maximum age, or past the newest max (newest first: received_at, then id). The max-th
        // newest is read from the index alone; the delete is then a range up to it, so a gateway's full history
        // is not read for every report.
        long ageCutoff = r.receivedAt().minus(maxAge).toEpochMilli();
        long keptAt = Long.MIN_VALUE;
        long keptId = Long.MIN_VALUE;
        try (PreparedStatement q = c.prepareStatement("SELECT received_at, id FROM report_history WHERE device_id = ? "
                + "ORDER BY device_id DESC, received_at DESC, id DESC OFFSET " + (max - 1)
                + " ROWS FETCH FIRST 1 ROWS ONLY")) {
            q.setString(1, id);
            try (ResultSet k = q.executeQuery()) {
                if (k.next()) {
                    keptAt = k.getLong(1);
                    keptId = k.getLong(2);
                }
            }
        }
        try (PreparedStatement d = c.prepareStatement("DELETE FROM report_history WHERE device_id = ? "
                + "AND received_at <= ? AND (received_at < ? OR received_at < ? OR (received_at = ? AND id < ?))")) {
            d.setString(1, id);
            d.setLong(2, Math.max(keptAt, ageCutoff));
            d.setLong(3, ageCutoff);
            d.setLong(4, keptAt);
            d.setLong(5, keptAt);
            d.setLong(6, keptId);
            d.executeUpdate();
        }
    }

    /** Newest first, received strictly before {@code before} (null: any), at most {@code limit}. */
    List<GatewayReport> page(String deviceId, Instant before, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        String id = GatewayRows.deviceId(deviceId);
        return db.transaction("read report history", c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT received_at, document FROM report_history "
                    + "WHERE device_id = ? AND received_at < ? ORDER BY received_at DESC, id DESC "
                    + "FETCH FIRST " + limit + " ROWS ONLY")) {
                q.setString(1, id);
                q.setLong(2, before == null ? Long.MAX_VALUE : before.toEpochMilli());
                List<GatewayReport> page = new ArrayList<>();
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        page.add(new GatewayReport(id, Instant.ofEpochMilli(r.getLong(1)), r.getString(2)));
                    }
                }
                return page;
            }
        });
    }
}
