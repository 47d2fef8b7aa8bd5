package io.edgeshare.api.fleet;

/** What {@link FleetStore#putCatalog} did with a content list. */
public enum CatalogOutcome {
    /** Stored: a full list newer than the stored one, or a delta whose baseRev is the stored rev. */
    APPLIED,
    /** Ignored: not newer than what is stored (a duplicate or a late message). */
    STALE,
    /** Ignored: a delta from a rev the store does not hold; ask the gateway for a full list (rebirth). */
    NEEDS_FULL,
    /** Ignored: the gateway is decommissioned. */
    DECOMMISSIONED
}
