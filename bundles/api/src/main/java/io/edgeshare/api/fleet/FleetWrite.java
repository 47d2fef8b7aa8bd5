package io.edgeshare.api.fleet;

import java.time.Instant;

/**
 * One write of what a gateway announced, for {@link FleetStore#write}: a birth, a death or a catalog update, each
 * decided by the rule of its own method ({@link FleetStore#birth}, {@link FleetStore#death},
 * {@link FleetStore#putCatalog}).
 */
public sealed interface FleetWrite {

    record Birth(GatewayBirth birth) implements FleetWrite {
    }

    record Death(String deviceId, long seq, Instant at) implements FleetWrite {
    }

    record Catalog(CatalogUpdate update) implements FleetWrite {
    }

    /**
     * What became of one write.
     *
     * @param accepted whether it was stored (a birth or death accepted, a catalog {@link CatalogOutcome#APPLIED})
     * @param catalog  a catalog update's outcome; null for a birth or a death
     */
    record Outcome(boolean accepted, CatalogOutcome catalog) {
    }
}
