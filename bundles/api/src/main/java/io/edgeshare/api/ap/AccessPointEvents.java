package io.edgeshare.api.ap;

/**
 * OSGi Event Admin topics the {@code ap} bundle posts (asynchronously), and their properties. Any bundle
 * may subscribe with an {@code EventHandler} whose {@code event.topics} is e.g. {@code edgeshare/ap/*}.
 */
public final class AccessPointEvents {

    /** A station associated and was admitted. Properties: {@link #MAC}. */
    public static final String STATION_JOINED = "edgeshare/ap/STATION_JOINED";
    /** A station left or was disconnected. Properties: {@link #MAC}, {@link #REASON}. */
    public static final String STATION_LEFT = "edgeshare/ap/STATION_LEFT";
    /** The access point started serving. Properties: {@link #SSID}. */
    public static final String AP_UP = "edgeshare/ap/UP";
    /** The access point stopped serving. Properties: {@link #SSID}, {@link #REASON}. */
    public static final String AP_DOWN = "edgeshare/ap/DOWN";

    /** Station MAC address (String). */
    public static final String MAC = "mac";
    /** SSID (String). */
    public static final String SSID = "ssid";
    /** Why (String), e.g. {@code left}, {@code denied}, {@code full}, {@code hours}, {@code disabled}. */
    public static final String REASON = "reason";

    private AccessPointEvents() {
    }
}
