package io.edgeshare.protocol;

import java.util.List;

/**
 * {@code catalog}: the shared-content list (claim A5). A full list ({@code items}) once per connection, then
 * deltas ({@code upserted}, {@code removed}) from {@code baseRev} to {@code rev}. A reader that holds another
 * revision than {@code baseRev} must not apply the delta; it waits for (or asks for) a full list.
 */
public record CatalogMessage(String deviceId, long msgId, boolean full, long rev, Long baseRev,
        List<CatalogItem> items, List<CatalogItem> upserted, List<String> removed) {
    public CatalogMessage {
        Fields.deviceId("deviceId", deviceId);
        Fields.nonNegative("msgId", msgId);
        if (full) {
            items = Fields.list("items", Fields.required("items", items), Fields.MAX_ITEMS);
            if (baseRev != null || upserted != null || removed != null) {
                throw new Fields.InvalidField("a full catalog has items only, not baseRev, upserted or removed");
            }
        } else {
            Fields.required("baseRev", baseRev);
            if (items != null) {
                throw new Fields.InvalidField("a catalog delta has upserted and removed, not items");
            }
            upserted = Fields.list("upserted", Fields.required("upserted", upserted), Fields.MAX_ITEMS);
            removed = Fields.texts("removed", Fields.required("removed", removed), Fields.MAX_ITEMS, Fields.MAX_CONTENT_ID);
        }
    }

    public static CatalogMessage full(String deviceId, long msgId, long rev, List<CatalogItem> items) {
        return new CatalogMessage(deviceId, msgId, true, rev, null, items, null, null);
    }

    public static CatalogMessage delta(String deviceId, long msgId, long rev, long baseRev,
            List<CatalogItem> upserted, List<String> removed) {
        return new CatalogMessage(deviceId, msgId, false, rev, baseRev, null, upserted, removed);
    }
}
