package io.edgeshare.protocol;

import java.time.Instant;
import java.util.List;

/** {@code nearby}: the sharers within range of one gateway, pushed retained by the platform (claims A6, A7). */
public record NearbyList(Instant generatedAt, List<NearbySharerEntry> sharers) {
    public NearbyList {
        sharers = Fields.list("sharers", Fields.required("sharers", sharers), 10_000);
    }
}
