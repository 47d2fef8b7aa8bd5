package io.edgeshare.portal.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * What the portal shows about this gateway. The identity keys are read from PID {@code edgeshare.identity},
 * written when the device is enrolled.
 */
@ObjectClassDefinition(name = "EdgeShare portal identity", description = "Read from edgeshare.identity")
public @interface PortalConfig {

    @AttributeDefinition(description = "Device id")
    String device_id() default "";

    @AttributeDefinition(description = "Name shown to people nearby; the device id when empty")
    String display_name() default "";

    @AttributeDefinition(description = "Deployment profile")
    String profile() default "home-gateway";

    @AttributeDefinition(description = "Latitude in degrees")
    double location_latitude() default 0;

    @AttributeDefinition(description = "Longitude in degrees")
    double location_longitude() default 0;
}
