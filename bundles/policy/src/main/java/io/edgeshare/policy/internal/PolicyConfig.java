package io.edgeshare.policy.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Which platform keys the gateway trusts and how it checks an applied policy (PID {@code edgeshare.policy}). */
@ObjectClassDefinition(pid = PolicyConfig.PID, name = "EdgeShare policy",
        description = "Verification and application of signed sharing policies")
public @interface PolicyConfig {
    String PID = "edgeshare.policy";

    @AttributeDefinition(description = "The platform's Ed25519 public key: base64 of its X.509 "
            + "SubjectPublicKeyInfo (GET /api/policy-key on the platform); set at provisioning")
    String platform_public_key() default "";

    @AttributeDefinition(description = "A file of further trusted platform keys: PEM PUBLIC KEY blocks or one base64 "
            + "key per line (for key rotation); empty: none")
    String platform_keys_file() default "";

    @AttributeDefinition(description = "Where the last known good policy is kept; empty: "
            + "${edgeshare.instance.dir}/data/policy, else the bundle's data area")
    String data_dir() default "";

    @AttributeDefinition(description = "Milliseconds the affected components have to take a new policy before it "
            + "is reverted", min = "100")
    int health_timeout_ms() default 5000;

    @AttributeDefinition(description = "LDAP filters of services that must be registered after a change, e.g. "
            + "(objectClass=io.edgeshare.api.cache.ContentCatalog); a missing one reverts the policy")
    String[] health_required_services() default {};
}
