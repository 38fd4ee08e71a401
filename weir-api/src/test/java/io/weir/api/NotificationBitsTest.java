package io.weir.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The enums keep IIS's values (docs/reference/native-module-model.md, "Stages", "Non-deterministic notifications", "Global notifications", "Statuses"), so masks read across from httpserv.h. */
class NotificationBitsTest {

    @Test
    void requestNotificationsHaveIisBitsInPipelineOrder() {
        Map<RequestNotification, Integer> expected = new LinkedHashMap<>();
        expected.put(RequestNotification.BEGIN_REQUEST, 0x1);
        expected.put(RequestNotification.AUTHENTICATE_REQUEST, 0x2);
        expected.put(RequestNotification.AUTHORIZE_REQUEST, 0x4);
        expected.put(RequestNotification.RESOLVE_REQUEST_CACHE, 0x8);
        expected.put(RequestNotification.MAP_REQUEST_HANDLER, 0x10);
        expected.put(RequestNotification.ACQUIRE_REQUEST_STATE, 0x20);
        expected.put(RequestNotification.PRE_EXECUTE_REQUEST_HANDLER, 0x40);
        expected.put(RequestNotification.EXECUTE_REQUEST_HANDLER, 0x80);
        expected.put(RequestNotification.RELEASE_REQUEST_STATE, 0x100);
        expected.put(RequestNotification.UPDATE_REQUEST_CACHE, 0x200);
        expected.put(RequestNotification.LOG_REQUEST, 0x400);
        expected.put(RequestNotification.END_REQUEST, 0x800);
        expected.put(RequestNotification.CUSTOM_NOTIFICATION, 0x10000000);
        expected.put(RequestNotification.SEND_RESPONSE, 0x20000000);
        expected.put(RequestNotification.READ_ENTITY, 0x40000000);
        expected.put(RequestNotification.MAP_PATH, 0x80000000);
        assertThat(RequestNotification.values()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((n, bit) -> assertThat(n.bit()).as(n.name()).isEqualTo(bit));
        assertThat(EnumSet.allOf(RequestNotification.class).stream().filter(RequestNotification::isDeterministic))
                .hasSize(12)
                .doesNotContain(RequestNotification.SEND_RESPONSE, RequestNotification.MAP_PATH);
    }

    @Test
    void globalNotificationsHaveIisBits() {
        Map<GlobalNotification, Integer> expected = Map.ofEntries(
                Map.entry(GlobalNotification.STOP_LISTENING, 0x2),
                Map.entry(GlobalNotification.CACHE_CLEANUP, 0x4),
                Map.entry(GlobalNotification.CACHE_OPERATION, 0x10),
                Map.entry(GlobalNotification.HEALTH_CHECK, 0x20),
                Map.entry(GlobalNotification.CONFIGURATION_CHANGE, 0x40),
                Map.entry(GlobalNotification.FILE_CHANGE, 0x80),
                Map.entry(GlobalNotification.PRE_BEGIN_REQUEST, 0x100),
                Map.entry(GlobalNotification.APPLICATION_START, 0x200),
                Map.entry(GlobalNotification.APPLICATION_RESOLVE_MODULES, 0x400),
                Map.entry(GlobalNotification.APPLICATION_STOP, 0x800),
                Map.entry(GlobalNotification.RSCA_QUERY, 0x1000),
                Map.entry(GlobalNotification.TRACE_EVENT, 0x2000),
                Map.entry(GlobalNotification.CUSTOM_NOTIFICATION, 0x4000),
                Map.entry(GlobalNotification.THREAD_CLEANUP, 0x8000),
                Map.entry(GlobalNotification.APPLICATION_PRELOAD, 0x10000),
                Map.entry(GlobalNotification.SUSPEND_PROCESS, 0x20000));
        assertThat(GlobalNotification.values()).hasSize(expected.size());
        expected.forEach((n, bit) -> assertThat(n.bit()).as(n.name()).isEqualTo(bit));
    }

    @Test
    void masksRoundTrip() {
        int mask = RequestNotification.BEGIN_REQUEST.bit()
                | RequestNotification.SEND_RESPONSE.bit()
                | RequestNotification.MAP_PATH.bit();
        assertThat(RequestNotification.fromMask(mask))
                .containsExactly(
                        RequestNotification.BEGIN_REQUEST,
                        RequestNotification.SEND_RESPONSE,
                        RequestNotification.MAP_PATH);
        assertThat(RequestNotification.toMask(RequestNotification.fromMask(mask)))
                .isEqualTo(mask);
        assertThat(GlobalNotification.toMask(GlobalNotification.fromMask(0x1 | 0x8 | 0x100)))
                .isEqualTo(0x100);
    }

    @Test
    void statusesHaveIisValuesAndPrioritiesParseAliases() {
        assertThat(RequestNotificationStatus.CONTINUE.value()).isZero();
        assertThat(RequestNotificationStatus.PENDING.value()).isEqualTo(1);
        assertThat(RequestNotificationStatus.FINISH_REQUEST.value()).isEqualTo(2);
        assertThat(GlobalNotificationStatus.HANDLED.value()).isEqualTo(1);
        assertThat(Priority.fromAlias(" high ")).isEqualTo(Priority.HIGH);
        assertThat(Priority.values())
                .containsExactly(Priority.FIRST, Priority.HIGH, Priority.MEDIUM, Priority.LOW, Priority.LAST);
        Assertions.assertThatThrownBy(() -> Priority.fromAlias("URGENT")).hasMessageContaining("URGENT");
    }
}
