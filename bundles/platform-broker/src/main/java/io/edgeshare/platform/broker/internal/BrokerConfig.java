package io.edgeshare.platform.broker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The platform's embedded MQTT 5 broker (PID {@code edgeshare.platform.broker}). */
@ObjectClassDefinition(name = "EdgeShare platform broker",
        description = "Embedded MQTT 5 broker; disable it to use an external Mosquitto, RabbitMQ or EMQX cluster")
public @interface BrokerConfig {

    @AttributeDefinition(description = "Run the embedded broker")
    boolean enabled() default true;

    @AttributeDefinition(description = "Address the MQTT listener binds to")
    String bind_address() default "127.0.0.1";

    @AttributeDefinition(description = "MQTT TCP port", min = "1", max = "65535")
    int port() default 1883;

    @AttributeDefinition(description = "Folder holding the HiveMQ CE jars; empty: the framework property"
            + " edgeshare.broker.lib")
    String lib_dir() default "";

    @AttributeDefinition(description = "Where the broker keeps retained messages and sessions; empty: the"
            + " instance's data/broker")
    String data_dir() default "";

    @AttributeDefinition(description = "Seconds to wait for the broker to start", min = "1")
    int start_timeout_s() default 60;
}
