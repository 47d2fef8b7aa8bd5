package io.edgeshare.uplink.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How this gateway reaches the platform (PID {@code edgeshare.uplink}). */
@ObjectClassDefinition(pid = "edgeshare.uplink", name = "EdgeShare uplink",
        description = "How this gateway reports to the platform")
public @interface UplinkConfig {

    @AttributeDefinition(description = "Platform broker, e.g. tcp://platform:1883 or ssl://platform:8883")
    String broker_uri() default "";

    @AttributeDefinition(description = "MQTT user name; empty for none")
    String username() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "MQTT password")
    String password() default "";

    @AttributeDefinition(description = "Topic prefix shared with the platform")
    String topic_prefix() default "edgeshare/v1";

    @AttributeDefinition(description = "Seconds between status reports", min = "1")
    int report_interval_s() default 30;

    @AttributeDefinition(description = "Seconds the broker waits before announcing this gateway offline", min = "0")
    int will_delay_s() default 15;

    @AttributeDefinition(description = "MQTT keep-alive in seconds", min = "5")
    int keepalive_s() default 30;

    @AttributeDefinition(description = "First reconnect delay in milliseconds", min = "100")
    int reconnect_min_ms() default 1000;

    @AttributeDefinition(description = "Longest reconnect delay in milliseconds", min = "1000")
    int reconnect_max_ms() default 60000;

    @AttributeDefinition(description = "PEM file with the CA certificate(s) that signed the broker's certificate"
            + " (ssl:// and wss://); empty: the JVM's trust store")
    String tls_ca_file() default "";

    @AttributeDefinition(description = "PEM file with this device's client certificate (chain); empty: none")
    String tls_cert_file() default "";

    @AttributeDefinition(description = "PEM file with this device's unencrypted PKCS#8 private key")
    String tls_key_file() default "";

    @AttributeDefinition(description = "Largest outbox on disk in bytes; the oldest low-priority reports go"
            + " first. Read at start.", min = "65536")
    long outbox_max_bytes() default 8L * 1024 * 1024;

    @AttributeDefinition(description = "Reports older than this many seconds are not sent. Read at start.",
            min = "60")
    long outbox_max_age_s() default 86_400;

    @AttributeDefinition(description = "Seconds a status report stays worth sending", min = "10")
    long status_ttl_s() default 3_600;

    @AttributeDefinition(description = "Reports in flight at once (also capped by the broker's receive maximum)",
            min = "1")
    int outbox_window() default 64;

    @AttributeDefinition(description = "Largest MQTT packet this gateway accepts, announced at CONNECT; a larger"
            + " incoming message is dropped and counted", min = "16384")
    int max_packet_bytes() default 1_048_576;
}
