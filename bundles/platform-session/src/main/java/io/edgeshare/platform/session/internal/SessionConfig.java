package io.edgeshare.platform.session.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The node's broker session (PID {@code edgeshare.platform.session}). */
@ObjectClassDefinition(name = "EdgeShare platform session",
        description = "The platform node's one MQTT session, shared by fleet and policy authoring")
public @interface SessionConfig {
    String PID = "edgeshare.platform.session";

    @AttributeDefinition(description = "Broker the gateways use; empty: the embedded broker, as edgeshare-platform"
            + " (never a default address)")
    String broker_uri() default "";

    @AttributeDefinition(description = "MQTT user name; empty for none")
    String username() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "MQTT password")
    String password() default "";

    @AttributeDefinition(description = "This node's id; unique among the nodes sharing a fleet ([A-Za-z0-9._-])")
    String node_id() default "node-1";

    @AttributeDefinition(description = "MQTT client id; empty: edgeshare-platform-{node.id}")
    String client_id() default "";

    @AttributeDefinition(description = "Topic prefix shared with the gateways (the node roster lives under"
            + " {prefix}/platform/nodes/)")
    String topic_prefix() default "edgeshare/v1";

    @AttributeDefinition(description = "Whether several platform nodes share the fleet: ingest by MQTT 5 shared"
            + " subscriptions, persistent sessions, one leader")
    boolean cluster_shared() default false;

    @AttributeDefinition(description = "Session expiry, seconds, when clustered (how long the broker keeps a dead"
            + " node's session and its unacknowledged messages for the other node to adopt)", min = "60")
    long session_expiry_s() default 3600;

    @AttributeDefinition(description = "Largest MQTT packet accepted, announced at CONNECT", min = "16384")
    int max_packet_bytes() default 1_048_576;

    @AttributeDefinition(description = "Reconnect delay bound after the first loss, ms (jittered, the first too)",
            min = "10")
    long reconnect_min_ms() default 1000;

    @AttributeDefinition(description = "Largest reconnect delay, ms (jittered)", min = "10")
    long reconnect_max_ms() default 30_000;
}
