package io.weir.modules.httplogging;

import io.weir.api.config.ConfigElement;
import io.weir.api.config.ConfigException;
import io.weir.api.http.HttpContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One {@code <logFile><customFields><add logFieldName sourceName sourceType/>}: a field IIS 8.5+
 * appends to each W3C line after the standard ones, named {@code logFieldName} in the
 * {@code #Fields:} directive, its value read from a request header, a response header or a server
 * variable (for example {@code REQUEST_ID}, the request id the failed-request traces and the log
 * messages also carry). A missing value is written {@code -}; a longer one is cut at
 * {@code maxCustomFieldLength} characters.
 *
 * @param logFieldName the field's name in the directive
 * @param sourceName   the header or variable
 * @param sourceType   where the value comes from
 * @param maxLength    {@code customFields@maxCustomFieldLength}
 */
record CustomField(String logFieldName, String sourceName, SourceType sourceType, int maxLength) {

    /** The values of {@code sourceType}. */
    enum SourceType {
        /** A request header. */
        REQUEST_HEADER,
        /** A response header. */
        RESPONSE_HEADER,
        /** A server variable. */
        SERVER_VARIABLE
    }

    /**
     * Reads the custom fields of a site's {@code logFile}, else of {@code siteDefaults}'.
     *
     * @param own      the site's {@code <logFile>}, or empty
     * @param defaults {@code <siteDefaults><logFile>}, or empty
     * @return the fields in order; empty when neither declares any
     * @throws ConfigException when a {@code sourceType} is not one of IIS's three
     */
    static List<CustomField> from(Optional<ConfigElement> own, Optional<ConfigElement> defaults) {
        Optional<ConfigElement> fields = own.flatMap(e -> e.child("customFields"))
                .filter(e -> !e.collection().isEmpty())
                .or(() -> defaults.flatMap(e -> e.child("customFields")));
        if (fields.isEmpty()) {
            return List.of();
        }
        int max = (int) fields.get().longAttribute("maxCustomFieldLength", 4096);
        List<CustomField> list = new ArrayList<>();
        for (ConfigElement add : fields.get().collection()) {
            String type = add.attribute("sourceType").orElse("");
            SourceType source =
                    switch (type.toLowerCase(Locale.ROOT)) {
                        case "requestheader" -> SourceType.REQUEST_HEADER;
                        case "responseheader" -> SourceType.RESPONSE_HEADER;
                        case "servervariable" -> SourceType.SERVER_VARIABLE;
                        default ->
                            throw new ConfigException(
                                    add.attributeSource("sourceType"),
                                    "sourceType '" + type + "' is not RequestHeader, ResponseHeader or ServerVariable");
                    };
            list.add(new CustomField(
                    add.attribute("logFieldName").orElseThrow(),
                    add.attribute("sourceName").orElseThrow(),
                    source,
                    max));
        }
        return List.copyOf(list);
    }

    /**
     * Reads the field's value for a request.
     *
     * @param context the request, in LOG_REQUEST
     * @return the value, or null when there is none
     */
    String value(HttpContext context) {
        String value =
                switch (sourceType) {
                    case REQUEST_HEADER -> context.request().header(sourceName).orElse(null);
                    case RESPONSE_HEADER ->
                        context.response().header(sourceName).orElse(null);
                    case SERVER_VARIABLE -> context.serverVariable(sourceName).orElse(null);
                };
        return value != null && value.length() > maxLength ? value.substring(0, maxLength) : value;
    }
}
