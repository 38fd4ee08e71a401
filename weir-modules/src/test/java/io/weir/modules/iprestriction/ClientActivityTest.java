package io.weir.modules.iprestriction;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-client counters with a fake clock: rate windows, concurrency release, the bound. */
class ClientActivityTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ClientActivity activity = new ClientActivity(100, now::get);

    private static DynamicIpSecuritySection limits(
            boolean concurrent, long maxConcurrent, boolean rate, long maxRequests, long intervalMs) {
        return new DynamicIpSecuritySection(
                DenyAction.FORBIDDEN, false, false, concurrent, maxConcurrent, rate, maxRequests, intervalMs);
    }

    private static InetAddress ip(String text) {
        return IpAddresses.parse(text);
    }

    @Test
    void theRateWindowStartsAgainAfterTheInterval() {
        DynamicIpSecuritySection section = limits(false, 5, true, 2, 200);
        InetAddress client = ip("192.0.2.1");
        assertThat(activity.begin(client, section).verdict()).isEqualTo(ClientActivity.Verdict.ALLOWED);
        assertThat(activity.begin(client, section).verdict()).isEqualTo(ClientActivity.Verdict.ALLOWED);
        ClientActivity.Admission third = activity.begin(client, section);
        assertThat(third.verdict()).isEqualTo(ClientActivity.Verdict.TOO_MANY_REQUESTS);
        assertThat(third.firstOverLimit()).isTrue();
        assertThat(activity.begin(client, section).firstOverLimit()).isFalse();
        assertThat(activity.begin(ip("192.0.2.2"), section).verdict()).isEqualTo(ClientActivity.Verdict.ALLOWED);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(199));
        assertThat(activity.begin(client, section).verdict()).isEqualTo(ClientActivity.Verdict.TOO_MANY_REQUESTS);
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertThat(activity.begin(client, section).verdict()).isEqualTo(ClientActivity.Verdict.ALLOWED);
    }

    @Test
    void concurrencyIsReleasedByEnd() {
        DynamicIpSecuritySection section = limits(true, 1, false, 20, 200);
        InetAddress client = ip("2001:db8::1");
        ClientActivity.Admission first = activity.begin(client, section);
        assertThat(first.verdict()).isEqualTo(ClientActivity.Verdict.ALLOWED);
        ClientActivity.Admission second = activity.begin(client, section);
        assertThat(second.verdict()).isEqualTo(ClientActivity.Verdict.TOO_MANY_CONCURRENT);
        assertThat(activity.inFlight(client, section)).isEqualTo(2);
        activity.end(second.key(), second.counted());
        activity.end(first.key(), first.counted());
        assertThat(activity.inFlight(client, section)).isZero();
        assertThat(activity.begin(client, section).verdict()).isEqualTo(ClientActivity.Verdict.ALLOWED);
    }

    @Test
    void anEntryWithRequestsInFlightDoesNotExpire() {
        DynamicIpSecuritySection section = limits(true, 1, false, 20, 200);
        InetAddress client = ip("192.0.2.9");
        ClientActivity.Admission held = activity.begin(client, section);
        now.addAndGet(TimeUnit.HOURS.toNanos(5));
        assertThat(activity.begin(client, section).verdict()).isEqualTo(ClientActivity.Verdict.TOO_MANY_CONCURRENT);
        assertThat(activity.inFlight(client, section)).isEqualTo(2);
        activity.end(held.key(), held.counted());
    }

    @Test
    void differentLimitsCountApart() {
        InetAddress client = ip("192.0.2.7");
        DynamicIpSecuritySection strict = limits(false, 5, true, 1, 1000);
        DynamicIpSecuritySection loose = limits(false, 5, true, 10, 1000);
        activity.begin(client, strict);
        assertThat(activity.begin(client, strict).verdict()).isEqualTo(ClientActivity.Verdict.TOO_MANY_REQUESTS);
        assertThat(activity.begin(client, loose).verdict()).isEqualTo(ClientActivity.Verdict.ALLOWED);
    }

    @Test
    void aFloodOfAddressesStaysWithinTheBound() throws Exception {
        DynamicIpSecuritySection section = limits(false, 5, true, 20, 60_000);
        for (int i = 0; i < 5_000; i++) {
            activity.begin(
                    InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i}), section);
        }
        assertThat(activity.trackedClients()).isLessThanOrEqualTo(100);
        now.addAndGet(TimeUnit.MINUTES.toNanos(2));
        assertThat(activity.trackedClients()).isZero();
    }
}
