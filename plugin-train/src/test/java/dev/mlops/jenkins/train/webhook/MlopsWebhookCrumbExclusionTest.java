package dev.mlops.jenkins.train.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MlopsWebhookCrumbExclusionTest {
    private final MlopsWebhookCrumbExclusion exclusion = new MlopsWebhookCrumbExclusion();

    /** A request that answers only getPathInfo(), the one thing CrumbExclusions read here. */
    private static HttpServletRequest requestFor(String pathInfo) {
        return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getPathInfo" -> pathInfo;
                    case "toString" -> "request " + pathInfo;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mlops-webhook/retrain", "/mlops-webhook/retrain/team/churn-retrain", "/mlops-webhook/"})
    void ownPrefixSkipsTheCrumbCheckAndContinuesTheChain(String path) throws Exception {
        AtomicInteger continued = new AtomicInteger();
        FilterChain chain = (req, rsp) -> continued.incrementAndGet();

        assertTrue(exclusion.process(requestFor(path), null, chain));
        assertEquals(1, continued.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/mlops-webhookX/retrain", "/mlops-webhook", "/job/churn-retrain/build", "/generic-webhook-trigger/invoke",
            "/x/mlops-webhook/retrain", "/MLOPS-WEBHOOK/retrain", ""})
    void everythingElseKeepsTheCrumbCheck(String path) throws Exception {
        AtomicInteger continued = new AtomicInteger();
        FilterChain chain = (req, rsp) -> continued.incrementAndGet();

        assertFalse(exclusion.process(requestFor(path), null, chain));
        assertEquals(0, continued.get());
    }

    @Test
    void noPathInfoIsNotExempt() {
        assertFalse(MlopsWebhookCrumbExclusion.excludes(null));
    }
}
