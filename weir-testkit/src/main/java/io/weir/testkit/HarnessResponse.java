package io.weir.testkit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the engine produced for one {@link PipelineHarness} request: the response as the transport
 * would have sent it, IIS's substatus (which never reaches the wire), and every module
 * notification in the order the engine delivered them.
 *
 * @param status        the status code; 0 when the engine dropped the connection without a response
 * @param subStatus     IIS's substatus of the final status (404.3 → 3); 0 when none or unknown
 * @param reason        the reason phrase; empty when none was sent
 * @param headers       the response header fields in order, as handed to the transport (without
 *                      Content-Length, see {@link #contentLength})
 * @param contentLength the entity length the engine announced, -1 for chunked (unknown in advance)
 * @param body          the entity bytes (file chunks read from disk); empty for HEAD
 * @param events        every notification delivered, in order
 * @param aborted       true when the engine dropped the connection ({@code resetConnection}, a
 *                      failure after the headers were sent, or an engine error)
 */
public record HarnessResponse(
        int status,
        int subStatus,
        String reason,
        List<Map.Entry<String, String>> headers,
        long contentLength,
        byte[] body,
        List<ModuleNotification> events,
        boolean aborted) {

    /**
     * @param name a header name, any case
     * @return the first value, or empty when absent
     */
    public Optional<String> header(String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * @param name a header name, any case
     * @return every value in order; empty when absent
     */
    public List<String> headers(String name) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                values.add(e.getValue());
            }
        }
        return values;
    }

    /** @return the body decoded as UTF-8 */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * Lists the notifications as lines, for example
     * {@code ["BEGIN_REQUEST GreetingModule", "EXECUTE_REQUEST_HANDLER GreetingModule", "SEND_RESPONSE GreetingModule"]}
     * (see {@link ModuleNotification#toString()}).
     *
     * @return the lines, in delivery order
     */
    public List<String> notifications() {
        return events.stream().map(ModuleNotification::toString).toList();
    }

    /**
     * Lists the notifications one module got, as lines of the same form as {@link #notifications()}
     * (for example {@code "BEGIN_REQUEST GreetingModule"}), so that one assertion style fits both.
     *
     * @param module the module's name
     * @return its lines, in delivery order; empty when the module got none
     */
    public List<String> notificationsOf(String module) {
        return events.stream()
                .filter(e -> e.module().equals(module))
                .map(ModuleNotification::toString)
                .toList();
    }

    /** @return the status as IIS writes it: {@code 404.3}, or {@code 200} when the substatus is 0 */
    public String statusWithSubStatus() {
        return subStatus == 0 ? Integer.toString(status) : status + "." + subStatus;
    }
}
