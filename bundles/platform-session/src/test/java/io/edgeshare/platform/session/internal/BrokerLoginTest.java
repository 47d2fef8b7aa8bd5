package io.edgeshare.platform.session.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.edgeshare.api.broker.PlatformBrokerLogin;

import org.junit.jupiter.api.Test;

class BrokerLoginTest {
    private static final PlatformBrokerLogin EMBEDDED = new PlatformBrokerLogin() {
        @Override
        public String uri() {
            return "tcp://127.0.0.1:18830";
        }

        @Override
        public String username() {
            return "edgeshare-platform";
        }

        @Override
        public String password() {
            return "generated";
        }
    };

    @Test
    void theConfiguredBrokerWins() {
        BrokerLogin login = BrokerLogin.resolve("tcp://mqtt.example.net:1883", "edgeshare-platform", "pw", EMBEDDED);
        assertEquals("tcp://mqtt.example.net:1883", login.uri());
        assertEquals("pw", login.password());
    }

    @Test
    void anEmptyUriTakesTheEmbeddedBroker() {
        BrokerLogin login = BrokerLogin.resolve("", "", "", EMBEDDED);
        assertEquals("tcp://127.0.0.1:18830", login.uri());
        assertEquals("edgeshare-platform", login.username());
        assertEquals("generated", login.password());
    }

    @Test
    void anEmptyUriWithoutEmbeddedBrokerConnectsNowhere() {
        assertNull(BrokerLogin.resolve("", "", "", null));
    }

    @Test
    void anUnresolvedPlaceholderConnectsNowhereEvenWithAnEmbeddedBroker() {
        assertNull(BrokerLogin.resolve("tcp://127.0.0.1:${edgeshare.mqtt.port}", "edgeshare-platform", "x", EMBEDDED));
        assertNull(BrokerLogin.resolve("tcp://127.0.0.1:1883", "edgeshare-platform",
                "${edgeshare.platform.mqtt.password}", EMBEDDED));
    }
}
