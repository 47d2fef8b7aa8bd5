package io.edgeshare.policy.internal;

/** The one key the policy bundle reads from the gateway's identity (PID {@code edgeshare.identity}). */
public @interface IdentityConfig {

    /** The device id targeted policies name. */
    String device_id() default "";
}
