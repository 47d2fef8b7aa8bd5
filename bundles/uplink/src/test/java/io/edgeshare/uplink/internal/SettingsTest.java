package io.edgeshare.uplink.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {
    static final String BROKER = "tcp://platform.example.net:1883";

    /** A component property type instance as DS would make it: defaults overridden by the map. */
    @SuppressWarnings("unchecked")
    static <A> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] { type }, (p, m, args) -> {
            String key = m.getName().replace("_", ".");
            return values.containsKey(key) ? values.get(key) : m.getDefaultValue();
        });
    }

    @Test
    void reportIntervalChangeKeepsTheConnection() {
        IdentityConfig id = config(IdentityConfig.class, Map.of("device.id", "gw-1"));
        Settings a = Settings.from(id,
                config(UplinkConfig.class, Map.of("broker.uri", BROKER, "report.interval.s", 30)));
        Settings b = Settings.from(id,
                config(UplinkConfig.class, Map.of("broker.uri", BROKER, "report.interval.s", 5)));
        Settings c = Settings.from(id, config(UplinkConfig.class, Map.of("broker.uri", "tcp://other:1883")));
        assertTrue(a.sameConnection(b));
        assertFalse(a.sameConnection(c));
    }

    @Test
    void rejectsUnsupportedBrokerScheme() {
        IdentityConfig id = config(IdentityConfig.class, Map.of("device.id", "gw-1"));
        assertThrows(IllegalArgumentException.class,
                () -> Settings.from(id, config(UplinkConfig.class, Map.of("broker.uri", "http://x"))));
    }

    @Test
    void rejectsImpossibleLocation() {
        IdentityConfig id = config(IdentityConfig.class, Map.of("device.id", "gw-1", "location.latitude", 91.0));
        assertThrows(IllegalArgumentException.class,
                () -> Settings.from(id, config(UplinkConfig.class, Map.of("broker.uri", BROKER))));
    }

    @Test
    void neverPrintsThePassword() {
        IdentityConfig id = config(IdentityConfig.class, Map.of("device.id", "gw-1"));
        Settings s = Settings.from(id, config(UplinkConfig.class, Map.of("broker.uri", BROKER, "password", "s3cret")));
        assertFalse(s.toString().contains("s3cret"));
    }

    @Test
    void rejectsADeviceIdOutsideTheRule() {
        IdentityConfig id = config(IdentityConfig.class, Map.of("device.id", "gw:1"));
        assertThrows(IllegalArgumentException.class,
                () -> Settings.from(id, config(UplinkConfig.class, Map.of("broker.uri", BROKER))));
    }

    @Test
    void rejectsAWildcardTopicPrefix() {
        IdentityConfig id = config(IdentityConfig.class, Map.of("device.id", "gw-1"));
        assertThrows(IllegalArgumentException.class,
                () -> Settings.from(id,
                        config(UplinkConfig.class, Map.of("broker.uri", BROKER, "topic.prefix", "edgeshare/#"))));
    }

    @Test
    void rejectsATinyMaxPacketSize() {
        IdentityConfig id = config(IdentityConfig.class, Map.of("device.id", "gw-1"));
        assertThrows(IllegalArgumentException.class,
                () -> Settings.from(id,
                        config(UplinkConfig.class, Map.of("broker.uri", BROKER, "max.packet.bytes", 100))));
    }

    @Test
    void anEmptyBrokerUriIsAnErrorNotLocalhost() {
        IdentityConfig id = config(IdentityConfig.class, Map.of("device.id", "gw-1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Settings.from(id, config(UplinkConfig.class, Map.of())));
        assertTrue(e.getMessage().contains("PID edgeshare.uplink key broker.uri"), e.getMessage());
    }

    @Test
    void anUnresolvedPlaceholderIsAnError() {
        IdentityConfig id = config(IdentityConfig.class, Map.of("device.id", "gw-1"));
        assertThrows(IllegalArgumentException.class, () -> Settings.from(id,
                config(UplinkConfig.class, Map.of("broker.uri", "${edgeshare.platform.uri}"))));
    }
}
