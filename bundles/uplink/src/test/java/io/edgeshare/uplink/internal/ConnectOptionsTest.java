package io.edgeshare.uplink.internal;

import static io.edgeshare.uplink.internal.SettingsTest.config;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

class ConnectOptionsTest {
    private static final IdentityConfig ID = config(IdentityConfig.class, Map.of("device.id", "gw-1"));

    @Test
    void announcesOneMebibyteByDefault() throws Exception {
        Settings s = Settings.from(ID, config(UplinkConfig.class, Map.of("broker.uri", SettingsTest.BROKER)));
        assertEquals(1_048_576L, ConnectOptions.from(s).getMaximumPacketSize());
    }

    @Test
    void announcesTheConfiguredMaximum() throws Exception {
        Settings s = Settings.from(ID, config(UplinkConfig.class,
                Map.of("broker.uri", SettingsTest.BROKER, "max.packet.bytes", 65_536)));
        assertEquals(65_536L, ConnectOptions.from(s).getMaximumPacketSize());
    }
}
