package io.edgeshare.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Who may read {@code /metrics}, and the access log (PID {@code edgeshare.metrics}). */
@ObjectClassDefinition(name = "EdgeShare health and metrics", description = "PID edgeshare.metrics")
public @interface MetricsConfig {

    String PID = "edgeshare.metrics";

    @AttributeDefinition(description = "Client addresses (IP literals, comma-separated) that may read /metrics; "
            + "'*' lets anyone through, for a deployment where an authenticating context guards it (the platform)")
    String admin_addresses() default "127.0.0.1,::1";

    @AttributeDefinition(description = "Write one common-log-format line per request to "
            + "${edgeshare.instance.dir}/data/log/access.log (off on appliances: flash wears)")
    boolean access_log_enabled() default false;

    @AttributeDefinition(description = "Rotate the access log when it reaches this many bytes")
    long access_log_max_bytes() default 1_048_576L;

    @AttributeDefinition(description = "Rotated access logs kept (access.log.1 ... access.log.N)")
    int access_log_files() default 3;
}
