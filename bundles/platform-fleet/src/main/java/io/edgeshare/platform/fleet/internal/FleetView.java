package io.edgeshare.platform.fleet.internal;

import java.util.List;
import java.util.Optional;

/** Read side of the fleet, for the REST API and console (bundle-internal service). */
public interface FleetView {

    List<GatewayState> gateways();

    Optional<GatewayState> gateway(String deviceId);

    /** The sharers last pushed to this gateway, nearest first. */
    List<NearbyIndex.Sharer> nearby(String deviceId);

    /** Messages that could not be understood, since start. */
    long rejectedMessages();

    /** Catalog deltas not applied because they did not start from the revision held (a full list was asked for). */
    long catalogResyncs();

    /** Whether this node is connected to the broker. */
    boolean connected();
}
