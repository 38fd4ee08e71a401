package io.weir.examples.customheader;

import static org.assertj.core.api.Assertions.assertThat;

import io.weir.examples.helloworld.HelloWorldModuleRegistration;
import io.weir.testkit.HarnessResponse;
import io.weir.testkit.PipelineHarness;
import io.weir.testkit.WeirTestConfig;
import org.junit.jupiter.api.Test;

/**
 * The custom-header sample in memory, through the real engine (its HTTP twin is
 * {@link CustomHeaderModuleHttpTest}): the header, and the notifications that show why a request
 * finished in BEGIN_REQUEST never gets it.
 */
class CustomHeaderModuleInMemoryTest {

    @Test
    void addsTheHeaderInAcquireRequestState() {
        try (PipelineHarness weir = PipelineHarness.start(
                WeirTestConfig.create().module("CustomHeaderModule", CustomHeaderModuleRegistration.class))) {
            HarnessResponse r = weir.get("/page.html");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers(CustomHeaderModule.HEADER_NAME)).containsExactly(CustomHeaderModule.HEADER_VALUE);
            assertThat(r.notifications()).containsExactly("ACQUIRE_REQUEST_STATE CustomHeaderModule");
        }
    }

    @Test
    void aRequestFinishedInBeginRequestNeverReachesIt() {
        try (PipelineHarness weir = PipelineHarness.start(WeirTestConfig.create()
                .module("HelloWorldModule", HelloWorldModuleRegistration.class)
                .module("CustomHeaderModule", CustomHeaderModuleRegistration.class))) {
            HarnessResponse r = weir.get("/hello");
            assertThat(r.bodyText()).isEqualTo("Hello World");
            assertThat(r.header(CustomHeaderModule.HEADER_NAME)).isEmpty();
            assertThat(r.notifications()).containsExactly("BEGIN_REQUEST HelloWorldModule");
        }
    }
}
