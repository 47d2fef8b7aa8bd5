package io.edgeshare.uplink.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Who this gateway is (PID {@code edgeshare.identity}), written when the device is enrolled. */
@ObjectClassDefinition(pid = "edgeshare.identity", name = "EdgeShare device identity",
        description = "Written at enrolment; read by every bundle that says who this gateway is")
public @interface IdentityConfig {

    @AttributeDefinition(description = "Device id")
    String device_id() default "";

    @AttributeDefinition(description = "Name people see (nearby lists of other gateways, DNS-SD); empty for none")
    String display_name() default "";

    @AttributeDefinition(description = "Hardware model")
    String model() default "generic";

    @AttributeDefinition(description = "Deployment profile")
    String profile() default "home-gateway";

    @AttributeDefinition(description = "Latitude in degrees")
    double location_latitude() default 0;

    @AttributeDefinition(description = "Longitude in degrees")
    double location_longitude() default 0;

    @AttributeDefinition(description = "Base URL where nearby terminals reach this gateway's portal")
    String portal_url() default "";
}
