package io.edgeshare.platform.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.edgeshare.api.fleet.Catalog;
import io.edgeshare.api.fleet.CatalogItem;
import io.edgeshare.api.fleet.CatalogOutcome;
import io.edgeshare.api.fleet.CatalogUpdate;

/**
 * Content lists by the rev/baseRev rule of docs/mqtt.md. A gateway's revision restarts with its process, so a
 * full list is stale only when it is older than the stored one within the same birth; the first full list of
 * a new birth always replaces what is stored.
 */
final class CatalogWrites {
    private final Database db;

    CatalogWrites(Database db) {
        this.db = db;
    }

    CatalogOutcome put(CatalogUpdate u) {
        String id = validated(u);
        return db.transaction("catalog", c -> {
            CatalogOutcome outcome = put(c, id, u);
            if (outcome != CatalogOutcome.APPLIED) {
                c.rollback();
            }
            return outcome;
        });
    }

    /** The update's device id, once its ids are checked (before any transaction). */
    static String validated(CatalogUpdate u) {
        String id = GatewayRows.deviceId(u.deviceId());
        for (CatalogItem item : u.upserted()) {
            if (item.id() == null || item.id().isEmpty() || item.id().length() > 256) {
                throw new IllegalArgumentException("a catalog item id must have 1..256 characters");
            }
        }
        return id;
    }

    /**
     * The update inside the caller's transaction; unless it is {@link CatalogOutcome#APPLIED} the caller rolls back
     * what it wrote.
     */
    static CatalogOutcome put(Connection c, String id, CatalogUpdate u) throws SQLException {
        long version = GatewayRows.nextVersion(c);
        long[] stored = lockCatalog(c, id);
        if (stored == null) {
            if (GatewayRows.tombstoneSeq(c, id) >= 0) {
                return CatalogOutcome.DECOMMISSIONED;
            }
            GatewayRows.insertUnknown(c, id, 0, u.at(), version);
            stored = new long[] { -1, -1, 0 };
        }
        long rev = stored[0];
        long revBirth = stored[1];
        long birth = stored[2];
        CatalogOutcome outcome = decide(u, rev, revBirth == birth);
        if (outcome != CatalogOutcome.APPLIED) {
            return outcome;
        }
        if (u.full()) {
            try (PreparedStatement d = c.prepareStatement("DELETE FROM catalog_items WHERE device_id = ?")) {
                d.setString(1, id);
                d.executeUpdate();
            }
        } else {
            deleteItems(c, id, u.removed());
            deleteItems(c, id, u.upserted().stream().map(CatalogItem::id).toList());
        }
        insertItems(c, id, u.upserted());
        try (PreparedStatement p = c.prepareStatement("UPDATE gateways SET catalog_rev = ?, catalog_birth_seq = "
                + "birth_seq, catalog_at = ?, version = ? WHERE device_id = ?")) {
            p.setLong(1, u.rev());
            p.setLong(2, u.at().toEpochMilli());
            p.setLong(3, version);
            p.setString(4, id);
            p.executeUpdate();
        }
        return CatalogOutcome.APPLIED;
    }

    static CatalogOutcome decide(CatalogUpdate u, long storedRev, boolean sameBirth) {
        if (u.full()) {
            return sameBirth && u.rev() < storedRev ? CatalogOutcome.STALE : CatalogOutcome.APPLIED;
        }
        if (u.baseRev() == storedRev && u.rev() > storedRev) {
            return CatalogOutcome.APPLIED;
        }
        return sameBirth && u.rev() <= storedRev ? CatalogOutcome.STALE : CatalogOutcome.NEEDS_FULL;
    }

    /** {rev, birth seq of that rev, current birth seq}, the row locked; null when the gateway is unknown. */
    private static long[] lockCatalog(Connection c, String id) throws SQLException {
        try (PreparedStatement q = c.prepareStatement(
                "SELECT catalog_rev, catalog_birth_seq, birth_seq FROM gateways WHERE device_id = ? FOR UPDATE")) {
            q.setString(1, id);
            try (ResultSet r = q.executeQuery()) {
                return r.next() ? new long[] { r.getLong(1), r.getLong(2), r.getLong(3) } : null;
            }
        }
    }

    private static void deleteItems(Connection c, String id, List<String> itemIds) throws SQLException {
        if (itemIds.isEmpty()) {
            return;
        }
        try (PreparedStatement d = c.prepareStatement("DELETE FROM catalog_items WHERE device_id = ? AND item_id = ?")) {
            for (String itemId : itemIds) {
                d.setString(1, id);
                d.setString(2, itemId);
                d.addBatch();
            }
            d.executeBatch();
        }
    }

    private static void insertItems(Connection c, String id, List<CatalogItem> items) throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO catalog_items (device_id, item_id, title, "
                + "media_type, size_bytes, sha256, category) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (CatalogItem i : items) {
                p.setString(1, id);
                p.setString(2, i.id());
                p.setString(3, nonNull(i.title()));
                p.setString(4, nonNull(i.mediaType()));
                p.setLong(5, i.size());
                p.setString(6, nonNull(i.sha256()));
                p.setString(7, nonNull(i.category()));
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    Optional<Catalog> catalog(String deviceId) {
        String id = GatewayRows.deviceId(deviceId);
        return db.transaction("read catalog", c -> {
            long rev;
            Instant at;
            try (PreparedStatement q = c.prepareStatement(
                    "SELECT catalog_rev, catalog_at FROM gateways WHERE device_id = ?")) {
                q.setString(1, id);
                try (ResultSet r = q.executeQuery()) {
                    if (!r.next() || r.getLong(1) < 0) {
                        return Optional.empty();
                    }
                    rev = r.getLong(1);
                    at = Instant.ofEpochMilli(r.getLong(2));
                }
            }
            List<CatalogItem> items = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("SELECT item_id, title, media_type, size_bytes, sha256, "
                    + "category FROM catalog_items WHERE device_id = ? ORDER BY item_id")) {
                q.setString(1, id);
                try (ResultSet r = q.executeQuery()) {
                    while (r.next()) {
                        items.add(new CatalogItem(r.getString(1), r.getString(2), r.getString(3), r.getLong(4),
                                r.getString(5), r.getString(6)));
                    }
                }
            }
            return Optional.of(new Catalog(id, rev, at, items));
        });
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
