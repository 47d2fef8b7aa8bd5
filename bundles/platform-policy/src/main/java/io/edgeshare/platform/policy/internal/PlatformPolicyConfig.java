package io.edgeshare.platform.policy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** How the policy authority reaches the gateways' broker and where it keeps its key (PID {@code edgeshare.platform.policy}). */
@ObjectClassDefinition(name = "EdgeShare platform policy",
        description = "Signs sharing policies with the platform key and publishes them to gateways")
public @interface PlatformPolicyConfig {
    String PID = "edgeshare.platform.policy";

    @AttributeDefinition(description = "Broker the gateways listen on; empty: the embedded broker, as"
            + " edgeshare-platform (never a default address)")
    String broker_uri() default "";

    @AttributeDefinition(description = "MQTT user name; empty for none")
    String username() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "MQTT password")
    String password() default "";

    @AttributeDefinition(description = "Topic prefix shared with the gateways")
    String topic_prefix() default "edgeshare/v1";

    @AttributeDefinition(description = "MQTT client id of this platform node")
    String client_id() default "edgeshare-platform-policy";

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
