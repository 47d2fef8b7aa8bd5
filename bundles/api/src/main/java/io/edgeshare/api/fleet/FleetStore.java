package io.edgeshare.api.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The fleet as the platform remembers it across restarts and shares between nodes. Every write is durable
 * when the call returns. Calls fail with {@link FleetStoreException} when the database cannot be reached.
 */
@ProviderType
public interface FleetStore {

    /**
     * Records a birth. It counts only if its sequence number is at least the latest birth or death seen for
     * the gateway, and, for a decommissioned gateway, newer than the last birth it had (so a stale retained
     * birth cannot bring a removed gateway back).
     *
     * @return whether the birth was accepted
     */
    boolean birth(GatewayBirth birth);

    /**
     * {@link #birth} for many at once, in one transaction (one commit): how a fleet that reconnects together is
     * ingested. @return per birth, in order, whether it was accepted
     */
    List<Boolean> births(List<GatewayBirth> births);

    /**
     * Records a death (the gateway's will). It counts only if {@code seq >= } the latest birth's sequence
     * number: a will delivered late from an older session must not mark a gateway offline that came back.
     *
     * @return whether the death was accepted
     */
    boolean death(String deviceId, long seq, Instant at);

    /**
     * Keeps a gateway's latest status report (the document as received, opaque to the store), adds it to the
     * gateway's {@link #reportHistory report history} and marks it seen. A report from an unknown gateway creates it, offline; one from a decommissioned gateway is ignored.
     *
     * @return whether the report was kept
     */
    boolean report(String deviceId, String document, Instant at);

    /** {@link #report} for many at once, in one transaction. @return per report, in order, whether it was kept */
    List<Boolean> reports(List<GatewayReport> reports);

    /** Applies a full list or a delta by the rev/baseRev rule of {@link CatalogOutcome}. */
    CatalogOutcome putCatalog(CatalogUpdate update);

    /**
     * Births, deaths and catalog updates in one transaction (one commit), in order, each decided as if it were
     * applied alone right after the ones before it; a write that is not accepted leaves nothing behind. How the
     * platform ingests what a fleet announces: a gateway's birth and catalog arrive together, so writes of one
     * kind rarely follow each other, and a commit per write was most of the ingest's time at 10,000 gateways.
     *
     * @return per write, in order, its outcome
     */
    List<FleetWrite.Outcome> write(List<FleetWrite> writes);

    /**
     * Assigns the operator's group (empty to clear it); a group name follows the device id rule (K1).
     *
     * @return false if the gateway is unknown
     */
    boolean assignGroup(String deviceId, String group);

    /**
     * Removes a gateway with its report and catalog; a later birth counts only if its sequence number is
     * newer than the last one seen. @return false if it was unknown
     */
    boolean decommission(String deviceId, Instant at);

    Optional<Gateway> gateway(String deviceId);

    Optional<GatewayReport> lastReport(String deviceId);

    /**
     * The gateway's recent status reports, newest first: those received strictly before {@code before} (all
     * when {@code null}), at most {@code limit}. The store keeps a bounded number per gateway (configured: the
     * newest N within a maximum age), pruned as reports arrive. Empty for an unknown gateway.
     *
     * @since 1.2
     */
    List<GatewayReport> reportHistory(String deviceId, Instant before, int limit);

    Optional<Catalog> catalog(String deviceId);

    /** One page of gateways matching the query, ordered by device id. */
    GatewayPage gateways(GatewayQuery query);

    /**
     * What changed after {@code version}, oldest first, at most {@code limit} entries: another node applies
     * these in order and continues from the last entry's version. Versions become visible in order. Births,
     * deaths, catalogs, groups and decommissioning make entries; status reports do not (they are frequent and
     * change nothing another node's nearby matching needs), so {@code lastSeen} in an entry may be older.
     */
    List<FleetChange> changesSince(long version, int limit);

    /** The newest change version (0 for an empty store). */
    long version();
}
