package io.weir.examples.greeting;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.provider.HttpEventProvider;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A handler that answers with the greeting its section sets for the request's URL: the text (in
 * capitals for {@code style="Loud"}) as {@code text/plain}, one {@code X-Greeting-<name>} header
 * per item of the section's collection, and 404 where {@code enabled="false"}. Stateless; runs on
 * the event loop and does not block.
 */
public final class GreetingModule implements HttpModule {

    /** Creates the module; it holds no state. */
    public GreetingModule() {}

    /**
     * Writes the greeting of the URL's effective {@code system.webServer/greeting}.
     *
     * @param context  the request
     * @param provider unused
     * @return FINISH_REQUEST: the response is complete
     */
    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        GreetingSection section = context.config(GreetingSection.SECTION);
        HttpResponse response = context.response();
        if (!section.enabled()) {
            response.setStatus(HttpStatus.NOT_FOUND);
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        String text = section.loud() ? section.text().toUpperCase(Locale.ROOT) : section.text();
        response.setHeader("Content-Type", "text/plain; charset=utf-8", true);
        for (Map.Entry<String, String> extra : section.extras().entrySet()) {
            response.setHeader("X-Greeting-" + extra.getKey(), extra.getValue(), true);
        }
        response.writeEntityChunks(DataChunk.ofBytes(text.getBytes(StandardCharsets.UTF_8)));
        return RequestNotificationStatus.FINISH_REQUEST;
    }
}
