package io.edgeshare.api.ap;

import java.util.Objects;

/**
 * A device associated with the access point.
 *
 * @param mac              MAC address, lower case {@code aa:bb:cc:dd:ee:ff}
 * @param signalDbm        last received signal in dBm ({@code null} when the driver reports none)
 * @param connectedSeconds seconds since it associated
 * @param rxBytes          bytes received from it
 * @param txBytes          bytes sent to it
 */
public record Station(String mac, Integer signalDbm, long connectedSeconds, long rxBytes, long txBytes) {
    public Station {
        Objects.requireNonNull(mac, "mac");
    }
}
