package io.edgeshare.ap.internal;

/** The keys the ap bundle reads from the gateway's identity (PID {@code edgeshare.identity}). */
public @interface IdentityConfig {
    String device_id() default "";

    String display_name() default "";

    String portal_url() default "";
}
