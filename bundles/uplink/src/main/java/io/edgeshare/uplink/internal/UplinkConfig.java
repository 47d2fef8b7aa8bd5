package io.edgeshare.uplink.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How this gateway reaches the platform (PID {@code edgeshare.uplink}). */
@ObjectClassDefinition(pid = "edgeshare.uplink", name = "EdgeShare uplink",
        description = "How this gateway reports to the platform")
public @interface UplinkConfig {

    @AttributeDefinition(description = "Platform broker, e.g. tcp://platform:1883 or ssl://platform:8883")
    String broker_uri() default "tcp://127.0.0.1:1883";

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
}
