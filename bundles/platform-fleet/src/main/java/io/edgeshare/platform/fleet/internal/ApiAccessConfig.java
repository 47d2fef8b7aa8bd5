package io.edgeshare.platform.fleet.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Who may change the platform through its REST API (PID {@code edgeshare.platform.api}). */
@ObjectClassDefinition(name = "EdgeShare platform API access",
        description = "Writes (publishing policies, rollbacks) need this bearer token; without one, only clients"
                + " on the platform host itself may write")
public @interface ApiAccessConfig {

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "Bearer token for POST/PUT/PATCH/DELETE under /api; empty: loopback clients only")
    String token() default "";
}
