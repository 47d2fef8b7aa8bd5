package io.edgeshare.platform.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RequestGuardTest {
    private static final String TOKEN = "op-token-1234";
    private final RequestGuard guard = new RequestGuard(TOKEN, List.of("platform.example.net"));

    private static RequestGuard.Request get(String path, String host, String auth) {
        return new RequestGuard.Request("GET", path, host, null, null, auth, null);
    }

    private String refusal(RequestGuard.Request r) {
        return guard.check(r).map(RequestGuard.Refusal::code).orElse("allowed");
    }

    @Test
    void theOperatorTokenLetsARequestThrough() {
        assertEquals("allowed", refusal(get("/gateways", "127.0.0.1:8080", "Bearer " + TOKEN)));
    }

    @Test
    void noTokenIsRefusedEvenFromThePlatformHost() {
        Optional<RequestGuard.Refusal> r = guard.check(get("/gateways", "localhost:8080", null));
        assertEquals(401, r.orElseThrow().status());
        assertEquals("token-required", r.get().code());
    }

    @Test
    void aWrongTokenIsRefused() {
        assertEquals("token-wrong", refusal(get("/policies/1", "127.0.0.1", "Bearer " + TOKEN + "x")));
        assertEquals("token-wrong", refusal(get("/policies/1", "127.0.0.1", "Basic " + TOKEN)));
    }

    @Test
    void thePolicyKeyIsPublicToRead() {
        assertEquals("allowed", refusal(get("/policy-key", "127.0.0.1:8080", null)));
        assertEquals("token-required", refusal(new RequestGuard.Request("POST", "/policy-key", "127.0.0.1", null,
                null, null, "application/json")));
    }

    @Test
    void aForeignHostIsRefusedBeforeAnythingElse() {
        assertEquals("host-not-allowed", refusal(get("/gateways", "evil.example", "Bearer " + TOKEN)));
        assertEquals("host-not-allowed", refusal(get("/policy-key", "evil.example:8080", null)));
        assertEquals("host-not-allowed", refusal(get("/gateways", null, "Bearer " + TOKEN)));
    }

    @Test
    void configuredHostsAreAllowedBesideLoopback() {
        assertEquals("allowed", refusal(get("/gateways", "Platform.Example.NET:443", "Bearer " + TOKEN)));
        assertEquals("allowed", refusal(get("/gateways", "[::1]:8080", "Bearer " + TOKEN)));
    }

    @Test
    void aCommaSeparatedListFromACfgFileIsAccepted() {
        RequestGuard fromFile = new RequestGuard(TOKEN, List.of("localhost, ops.example.org,[::1]"));
        assertTrue(fromFile.allowedHosts().contains("ops.example.org"));
    }

    @Test
    void aCrossSitePostIsRefusedWhateverItCarries() {
        RequestGuard.Request r = new RequestGuard.Request("POST", "/policies", "127.0.0.1:8080",
                "http://evil.example", null, "Bearer " + TOKEN, "application/json");
        assertEquals(403, guard.check(r).orElseThrow().status());
        assertEquals("cross-origin", refusal(r));
        assertEquals("cross-origin", refusal(new RequestGuard.Request("POST", "/policies", "127.0.0.1:8080", "null",
                null, "Bearer " + TOKEN, "application/json")));
        assertEquals("cross-origin", refusal(new RequestGuard.Request("GET", "/gateways", "127.0.0.1:8080", null,
                "cross-site", "Bearer " + TOKEN, null)));
    }

    @Test
    void aSameOriginPostFromTheConsoleIsAllowed() {
        assertEquals("allowed", refusal(new RequestGuard.Request("POST", "/policies", "127.0.0.1:8080",
                "http://127.0.0.1:8080", "same-origin", "Bearer " + TOKEN, "application/json; charset=utf-8")));
    }

    @Test
    void aBodyThatIsNotJsonIsRefused() {
        RequestGuard.Request r = new RequestGuard.Request("POST", "/policies", "127.0.0.1", null, null,
                "Bearer " + TOKEN, "text/plain");
        assertEquals(415, guard.check(r).orElseThrow().status());
        assertEquals("unsupported-media-type", refusal(new RequestGuard.Request("PUT", "/x", "127.0.0.1", null,
                null, "Bearer " + TOKEN, null)));
    }

    @Test
    void traceIsNotServed() {
        assertEquals("method-not-allowed", refusal(new RequestGuard.Request("TRACE", "/gateways", "127.0.0.1", null,
                null, "Bearer " + TOKEN, null)));
    }

    @Test
    void hostHeadersAreParsedStrictly() {
        assertEquals("[::1]", RequestGuard.hostOfHeader("[::1]:8080"));
        assertEquals("localhost", RequestGuard.hostOfHeader("LocalHost"));
        assertNull(RequestGuard.hostOfHeader("127.0.0.1:80:80"));
        assertNull(RequestGuard.hostOfHeader("evil.example@127.0.0.1"));
        assertNull(RequestGuard.hostOfHeader(":8080"));
        assertTrue(RequestGuard.hostOfOrigin("http://[::1]:8080").equals("[::1]"));
        assertNull(RequestGuard.hostOfOrigin("null"));
    }
}
