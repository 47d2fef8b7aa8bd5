package io.edgeshare.platform.policy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Where the policy authority keeps its key, and its limits (PID {@code edgeshare.platform.policy}). The broker and
 * login are the node session's (PID {@code edgeshare.platform.session}); old {@code broker.uri}/{@code username}/
 * {@code password} keys here are read by the session while its own PID has no {@code broker.uri}.
 */
@ObjectClassDefinition(name = "EdgeShare platform policy",
        description = "Signs sharing policies with the platform key and publishes them to gateways")
public @interface PlatformPolicyConfig {
    String PID = "edgeshare.platform.policy";

    @AttributeDefinition(description = "Topic prefix shared with the gateways")
    String topic_prefix() default "edgeshare/v1";

    @AttributeDefinition(description = "Directory of the platform key pair and the policy history; empty: "
            + "${edgeshare.instance.dir}/data/platform-policy, else the bundle's data area")
    String data_dir() default "";

    @AttributeDefinition(description = "Seconds to wait for the broker to acknowledge a publication", min = "1")
    int publish_timeout_s() default 10;

    @AttributeDefinition(description = "Largest MQTT packet accepted, announced at CONNECT; a larger incoming"
            + " message is dropped and counted", min = "16384")
    int max_packet_bytes() default 1_048_576;
    @AttributeDefinition(description = "How long a signed policy document stays valid (ISO-8601 duration, at least "
            + "PT30S); each gateway's current document is re-signed and sent again when a third of it is left")
    String policy_validity() default "P30D";
}
