package io.edgeshare.platform.fleet.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The fleet service (PID {@code edgeshare.platform.fleet}). The broker, login and client id moved to the node's
 * session (PID {@code edgeshare.platform.session}); old {@code broker.uri}/{@code username}/{@code password} keys
 * here are still read by the session while its own PID has no {@code broker.uri}.
 */
@ObjectClassDefinition(name = "EdgeShare fleet", description = "Fleet fed by gateway presence and reports into the store; nearby lists")
public @interface FleetConfig {

    @AttributeDefinition(description = "Topic prefix shared with the gateways")
    String topic_prefix() default "edgeshare/v1";


    @AttributeDefinition(description = "Gateways closer than this many metres are each other's nearby sharers (A6)",
            min = "1")
    double nearby_range_m() default 300;

    @AttributeDefinition(description = "Most sharers in one gateway's nearby list (the nearest ones)", min = "1")
    int nearby_max_sharers() default 20;

    @AttributeDefinition(description = "Most content ids listed per sharer in a nearby list", min = "0")
    int nearby_max_content_ids() default 500;

    @AttributeDefinition(description = "Most nearby lists waiting for the broker's acknowledgement at once; the"
            + " broker's receive maximum (announced at CONNACK) minus one caps it", min = "1")
    int nearby_max_in_flight() default 500;



    @AttributeDefinition(description = "Largest MQTT packet accepted, announced at CONNECT; a larger incoming"
            + " message is dropped and counted", min = "16384")
    int max_packet_bytes() default 1_048_576;
}
