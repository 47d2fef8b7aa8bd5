package io.edgeshare.platform.fleet.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.edgeshare.api.fleet.Gateway;
import io.edgeshare.api.fleet.GatewayPage;
import io.edgeshare.api.fleet.GatewayQuery;
import io.edgeshare.api.fleet.GatewayReport;
import io.edgeshare.protocol.NearbySharerEntry;

/** The fleet for the REST API and console (bundle-internal service). */
public interface FleetView {

    GatewayPage gateways(GatewayQuery query);

    Optional<Gateway> gateway(String deviceId);

    Optional<GatewayReport> lastReport(String deviceId);

    /** The gateway's recent status reports, newest first, received before {@code before} (null: any). */
    List<GatewayReport> reports(String deviceId, Instant before, int limit);

    /**
     * Publishes {@code cmd/rebirth} to the gateway now: it answers with its birth, full catalog and a report.
     * @return when it was asked (kept: see {@link #fullReportAskedAt})
     */
    Instant askFullReport(String deviceId);

    /** When an operator last asked this gateway for a full report on this node, if ever. */
    Optional<Instant> fullReportAskedAt(String deviceId);

    /** The sharers the broker last acknowledged for this gateway, nearest first. */
    List<NearbySharerEntry> nearby(String deviceId);

    /** Removes a gateway from the store and clears its retained presence and list. @return false if unknown */
    boolean decommission(String deviceId);

    /** Messages that could not be understood, since start. */
    long rejectedMessages();

    /** Catalog deltas not applied because they did not start from the revision held (a full list was asked for). */
    long catalogResyncs();

    /** Whether this node is connected to the broker. */
    boolean connected();
}
