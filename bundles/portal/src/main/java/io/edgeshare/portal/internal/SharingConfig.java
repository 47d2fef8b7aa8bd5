package io.edgeshare.portal.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The two keys of the cache's configuration (PID {@code edgeshare.cache}) that say whether the sharing policy
 * switched sharing off; the policy bundle writes them (docs/policy.md). Read only.
 */
@ObjectClassDefinition(name = "EdgeShare portal: sharing switch", description = "Read from edgeshare.cache")
public @interface SharingConfig {

    @AttributeDefinition(description = "Sharing on or off, as the policy set it")
    boolean sharing_enabled() default true;

    @AttributeDefinition(description = "Categories the policy shares; [none] means sharing is off")
    String[] allowed_categories() default {};
}
