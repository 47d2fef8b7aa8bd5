package io.edgeshare.uplink.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** The MQTT 5 CONNECT of a gateway, from its settings (docs/mqtt.md, "Connection"); the will is added per attempt. */
final class ConnectOptions {
    private ConnectOptions() {
    }

    static MqttConnectionOptions from(Settings config) throws IOException {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false); // our own jittered backoff, and a fresh will per connection
        o.setKeepAliveInterval(config.keepaliveS());
        o.setConnectionTimeout(10);
        // The broker delays the will only while the session lives, so the session must outlive the delay.
        o.setSessionExpiryInterval((long) config.willDelayS());
        o.setMaximumPacketSize((long) config.maxPacketBytes()); // K2: the broker sends nothing larger
        if (!config.username().isEmpty()) {
            o.setUserName(config.username());
            o.setPassword(config.password().getBytes(StandardCharsets.UTF_8));
        }
        if (config.brokerUri().startsWith("ssl://") || config.brokerUri().startsWith("wss://")) {
            o.setSocketFactory(NoDelaySockets.tls(
                    TlsSockets.create(config.tlsCaFile(), config.tlsCertFile(), config.tlsKeyFile())));
            o.setHttpsHostnameVerificationEnabled(true);
        } else {
            o.setSocketFactory(NoDelaySockets.plain());
        }
        MqttProperties willProps = new MqttProperties();
        willProps.setWillDelayInterval((long) config.willDelayS());
        willProps.setContentType("application/json");
        o.setWillMessageProperties(willProps);
        return o;
    }
}
