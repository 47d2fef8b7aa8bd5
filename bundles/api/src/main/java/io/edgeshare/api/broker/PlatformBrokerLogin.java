package io.edgeshare.api.broker;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How the platform's components reach the embedded broker: registered by the broker bundle while its broker
 * listens. A component whose own configuration names a broker URI uses that instead. The password is a secret:
 * never log it.
 */
@ProviderType
public interface PlatformBrokerLogin {

    /** The broker's URI, e.g. {@code tcp://127.0.0.1:1883}. */
    String uri();

    /** The platform's MQTT user name, {@code edgeshare-platform} (contract K1). */
    String username();

    /** The platform's MQTT password. */
    String password();
}
