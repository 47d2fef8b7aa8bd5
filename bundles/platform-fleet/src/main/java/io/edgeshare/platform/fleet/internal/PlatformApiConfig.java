package io.edgeshare.platform.fleet.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Who may call the platform's REST API under {@code /api} (PID {@code edgeshare.platform.api}). */
@ObjectClassDefinition(name = "EdgeShare platform API",
        description = "Every request under /api (except GET /api/policy-key) needs the operator's bearer token")
public @interface PlatformApiConfig {
    String PID = "edgeshare.platform.api";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "Operator bearer token; empty: generated at first start into "
                    + "${edgeshare.instance.dir}/data/operator.token (mode 0600) and reused")
    String token() default "";

    @AttributeDefinition(description = "Host names (without port) the API answers to, in the Host header and in "
            + "a browser's Origin; localhost, 127.0.0.1 and [::1] are always allowed. Add the names operators use")
    String[] allowed_hosts() default { "localhost", "127.0.0.1", "[::1]" };
}
