package io.edgeshare.platform.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Where the platform keeps its fleet state (PID {@code edgeshare.platform.store}). */
@ObjectClassDefinition(name = "EdgeShare platform store",
        description = "Fleet state database: embedded H2 by default, PostgreSQL by URL")
public @interface StoreConfig {

    @AttributeDefinition(description = "JDBC URL: empty for the embedded database in "
            + "{edgeshare.instance.dir}/data/fleet, or jdbc:postgresql://host:5432/db")
    String url() default "";

    @AttributeDefinition(description = "Database user name")
    String username() default "";

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Database password")
    String password() default "";

    @AttributeDefinition(description = "Most database connections open at once", min = "1", max = "200")
    int pool_size() default 8;

    @AttributeDefinition(description = "Status reports kept per gateway for its history (the newest)",
            min = "1", max = "10000")
    int report_history_max() default 100;

    @AttributeDefinition(description = "Oldest status report kept in a gateway's history, in hours", min = "1")
    int report_history_hours() default 24;
}
