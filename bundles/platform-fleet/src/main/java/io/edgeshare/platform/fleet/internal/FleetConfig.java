package io.edgeshare.platform.fleet.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How the fleet service reaches the gateways' broker (PID {@code edgeshare.platform.fleet}). */
@ObjectClassDefinition(name = "EdgeShare fleet", description = "Fleet fed by gateway presence and reports into the store; nearby lists")
public @interface FleetConfig {

    @AttributeDefinition(description = "Broker the gateways report to; empty: the embedded broker, as"
            + " edgeshare-platform (never a default address)")
    String broker_uri() default "";

    @AttributeDefinition(description = "MQTT user name; empty for none")
    String username() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "MQTT password")
    String password() default "";

    @AttributeDefinition(description = "Topic prefix shared with the gateways")
    String topic_prefix() default "edgeshare/v1";

    @AttributeDefinition(description = "MQTT client id of this platform node")
    String client_id() default "edgeshare-platform-fleet";

    @AttributeDefinition(description = "Gateways closer than this many metres are each other's nearby sharers (A6)",
            min = "1")
    double nearby_range_m() default 300;

    @AttributeDefinition(description = "Most sharers in one gateway's nearby list (the nearest ones)", min = "1")
    int nearby_max_sharers() default 20;

    @AttributeDefinition(description = "Most content ids listed per sharer in a nearby list", min = "0")
    int nearby_max_content_ids() default 500;

    @AttributeDefinition(description = "Most nearby lists waiting for the broker's acknowledgement at once; keep it"
            + " below the broker's receive maximum", min = "1")
    int nearby_max_in_flight() default 8;

    @AttributeDefinition(description = "Reconnect delay bound after the first failure, ms (jittered)", min = "10")
    long reconnect_min_ms() default 1000;

    @AttributeDefinition(description = "Largest reconnect delay, ms (jittered)", min = "10")
    long reconnect_max_ms() default 30_000;

    @AttributeDefinition(description = "Largest MQTT packet accepted, announced at CONNECT; a larger incoming"
            + " message is dropped and counted", min = "16384")
    int max_packet_bytes() default 1_048_576;
}
