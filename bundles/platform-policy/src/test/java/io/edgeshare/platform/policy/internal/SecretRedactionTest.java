package io.edgeshare.platform.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

class SecretRedactionTest {

    private static JsonElement json(String s) {
        return JsonParser.parseString(s);
    }

    @Test
    void theApPassphraseIsReplaced() {
        JsonElement out = SecretRedaction.redact(json("{\"ap\":{\"ssid\":\"Mall\",\"passphrase\":\"correct horse\"}}"));
        assertEquals(json("{\"ap\":{\"ssid\":\"Mall\",\"passphrase\":\"(redacted)\"}}"), out);
    }

    @Test
    void anyFieldNamedLikeASecretIsReplacedAtAnyDepth() {
        JsonElement out = SecretRedaction.redact(json(
                "{\"x\":[{\"apiToken\":\"t\",\"Password\":1,\"clientSecret\":{\"a\":\"b\"}}],\"tokens\":null}"));
        assertEquals(json("{\"x\":[{\"apiToken\":\"(redacted)\",\"Password\":\"(redacted)\","
                + "\"clientSecret\":\"(redacted)\"}],\"tokens\":null}"), out);
    }

    @Test
    void aPolicyWithoutSecretsIsShownAsItIs() {
        JsonElement in = json("{\"sharing\":{\"enabled\":true},\"ap\":{\"ssid\":\"Mall\",\"security\":\"open\"}}");
        assertEquals(in, SecretRedaction.redact(in));
        assertFalse(SecretRedaction.holdsSecrets(in));
        assertTrue(SecretRedaction.holdsSecrets(json("{\"ap\":{\"passphrase\":\"x\"}}")));
    }
}
