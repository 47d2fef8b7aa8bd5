package io.edgeshare.platform.store.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.edgeshare.api.fleet.BoundingBox;
import io.edgeshare.api.fleet.FleetChange;
import io.edgeshare.api.fleet.Gateway;
import io.edgeshare.api.fleet.GatewayPage;
import io.edgeshare.api.fleet.GatewayQuery;
import io.edgeshare.api.fleet.GatewayReport;

/** Reads: one gateway, its last report, paged search, and the change feed for other nodes. */
final class FleetQueries {
    private final Database db;

    FleetQueries(Database db) {
        this.db = db;
    }

    Optional<Gateway> gateway(String deviceId) {
        String id = GatewayRows.deviceId(deviceId);
        return db.transaction("read gateway", c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT " + GatewayRows.COLUMNS + " FROM gateways WHERE device_id = ?")) {
                q.setString(1, id);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(GatewayRows.read(r)) : Optional.<Gateway>empty();
                }
            }
        });
    }

    Optional<GatewayReport> lastReport(String deviceId) {
        String id = GatewayRows.deviceId(deviceId);
        return db.transaction("read report", c -> {
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT received_at, document FROM last_reports WHERE device_id = ?")) {
                q.setString(1, id);
                try (ResultSet r = q.executeQuery()) {
                    return r.next() ? Optional.of(new GatewayReport(id, Instant.ofEpochMilli(r.getLong(1)),
                            r.getString(2))) : Optional.<GatewayReport>empty();
                }
            }
        });
    }

    GatewayPage page(GatewayQuery query) {
        Filter filter = Filter.of(query);
        return db.transaction("search gateways", c -> {
            long total;
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM gateways" + filter.where(false))) {
                filter.bind(q, false);
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    total = r.getLong(1);
                }
            }
            List<Gateway> page = new ArrayList<>();
            // one row more than asked tells whether there is a next page
            try (PreparedStatement q = c.prepareStatement("SELECT " + GatewayRows.COLUMNS + " FROM gateways"
                    + filter.where(true) + " ORDER BY device_id FETCH FIRST " + (query.limit() + 1) + " ROWS ONLY")) {
                filter.bind(q, true);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        page.add(GatewayRows.read(r));
                    }
                }
            }
            boolean more = page.size() > query.limit();
            List<Gateway> shown = more ? page.subList(0, query.limit()) : page;
            return new GatewayPage(shown, total, more ? shown.get(shown.size() - 1).deviceId() : null);
        });
    }

    long version() {
        return db.transaction("read version", GatewayRows::currentVersion);
    }

    List<FleetChange> changesSince(long after, int limit) {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be 1..10000, got " + limit);
        }
        return db.transaction("read changes", c -> {
            // Every version up to the counter has committed (see GatewayRows.nextVersion); reading no further
            // keeps the two tables below consistent with each other.
            long upTo = GatewayRows.currentVersion(c);
            List<FleetChange> changes = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT " + GatewayRows.COLUMNS + " FROM gateways "
                    + "WHERE version > ? AND version <= ? ORDER BY version FETCH FIRST " + limit + " ROWS ONLY")) {
                q.setLong(1, after);
                q.setLong(2, upTo);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        Gateway g = GatewayRows.read(r);
                        changes.add(new FleetChange(g.version(), g.deviceId(), g));
                    }
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT device_id, version FROM decommissioned_gateways "
                    + "WHERE version > ? AND version <= ? ORDER BY version FETCH FIRST " + limit + " ROWS ONLY")) {
                q.setLong(1, after);
                q.setLong(2, upTo);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        changes.add(new FleetChange(r.getLong(2), r.getString(1), null));
                    }
                }
            }
            changes.sort((a, b) -> Long.compare(a.version(), b.version()));
            return List.copyOf(changes.subList(0, Math.min(limit, changes.size())));
        });
    }

    /** The WHERE clause of a query and its parameters, in order. */
    private record Filter(GatewayQuery query, String text) {
        static Filter of(GatewayQuery q) {
            String t = q.text() == null || q.text().isBlank() ? null
                    : "%" + q.text().strip().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%")
                            .replace("_", "!_") + "%";
            return new Filter(q, t);
        }

        String where(boolean withCursor) {
            List<String> terms = new ArrayList<>();
            switch (query.status()) {
                case ONLINE -> terms.add("online = TRUE");
                case OFFLINE -> terms.add("online = FALSE");
                default -> { }
            }
            if (query.profile() != null && !query.profile().isEmpty()) {
                terms.add("profile = ?");
            }
            if (text != null) {
                terms.add("(LOWER(device_id) LIKE ? ESCAPE '!' OR LOWER(model) LIKE ? ESCAPE '!' "
                        + "OR LOWER(group_name) LIKE ? ESCAPE '!' OR LOWER(profile) LIKE ? ESCAPE '!')");
            }
            BoundingBox a = query.area();
            if (a != null) {
                terms.add("latitude BETWEEN ? AND ?");
                terms.add(a.west() <= a.east() ? "longitude BETWEEN ? AND ?" : "(longitude >= ? OR longitude <= ?)");
            }
            if (withCursor && query.after() != null) {
                terms.add("device_id > ?");
            }
            return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
        }

        void bind(PreparedStatement p, boolean withCursor) throws SQLException {
            int i = 1;
            if (query.profile() != null && !query.profile().isEmpty()) {
                p.setString(i++, query.profile());
            }
            if (text != null) {
                for (int k = 0; k < 4; k++) {
                    p.setString(i++, text);
                }
            }
            BoundingBox a = query.area();
            if (a != null) {
                p.setDouble(i++, a.south());
                p.setDouble(i++, a.north());
                p.setDouble(i++, a.west());
                p.setDouble(i++, a.east());
            }
            if (withCursor && query.after() != null) {
                p.setString(i, query.after());
            }
        }
    }
}
