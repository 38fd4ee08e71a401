package io.weir.modules.staticfile;

import io.weir.api.http.HttpFileInfo;
import io.weir.api.http.HttpRequest;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/**
 * RFC 9110 section 13 conditional requests against a file's validators (its strong ETag and its
 * Last-Modified time), evaluated in the order of its section 13.2.2. Stateless; parses the header fields
 * without regular expressions and, when the client echoes the validator verbatim (the usual case),
 * without allocating.
 */
final class Preconditions {

    /** What the evaluation decided. */
    enum Outcome {
        /** Serve the representation (200 or 206). */
        PROCEED,
        /** 304 Not Modified. */
        NOT_MODIFIED,
        /** 412 Precondition Failed. */
        FAILED
    }

    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
            .appendPattern("EEEE, dd-MMM-")
            .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
            .appendPattern(" HH:mm:ss 'GMT'")
            .toFormatter(Locale.US);
    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder()
            .appendPattern("EEE MMM")
            .appendLiteral(' ')
            .optionalStart()
            .appendLiteral(' ')
            .optionalEnd()
            .appendPattern("d HH:mm:ss yyyy")
            .toFormatter(Locale.US);

    private Preconditions() {}

    /**
     * Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since for a GET or
     * HEAD of an existing file, in RFC 9110's order.
     *
     * @param request the request
     * @param file    the file's validators
     * @return the outcome
     */
    static Outcome evaluate(HttpRequest request, HttpFileInfo file) {
        Optional<String> ifMatch = request.header("If-Match");
        if (ifMatch.isPresent()) {
            if (!matchesAny(ifMatch.get(), file.etag(), true)) {
                return Outcome.FAILED;
            }
        } else {
            Optional<String> ifUnmodifiedSince = request.header("If-Unmodified-Since");
            if (ifUnmodifiedSince.isPresent()) {
                Instant date = parseDate(ifUnmodifiedSince.get(), file);
                if (date != null && file.lastModified().isAfter(date)) {
                    return Outcome.FAILED;
                }
            }
        }
        Optional<String> ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch.isPresent()) {
            return matchesAny(ifNoneMatch.get(), file.etag(), false) ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
        }
        Optional<String> ifModifiedSince = request.header("If-Modified-Since");
        if (ifModifiedSince.isPresent()) {
            Instant date = parseDate(ifModifiedSince.get(), file);
            if (date != null && !file.lastModified().isAfter(date)) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * Evaluates an If-Range field (RFC 9110 section 13.1.5): an entity tag must match strongly, a date must
     * equal the Last-Modified time exactly.
     *
     * @param value the field value
     * @param file  the file's validators
     * @return true when the range request stands, false when the whole representation is to be sent
     */
    static boolean ifRangeMatches(String value, HttpFileInfo file) {
        String trimmed = value.strip();
        if (trimmed.startsWith("\"") || trimmed.startsWith("W/")) {
            return !trimmed.startsWith("W/") && trimmed.equals(file.etag());
        }
        Instant date = parseDate(trimmed, file);
        return date != null && date.equals(file.lastModified());
    }

    /**
     * Tells whether an entity-tag list ({@code *} or {@code 1#entity-tag}) holds {@code etag}.
     *
     * @param list   the field value, possibly several fields joined with commas
     * @param etag   the file's strong tag, with quotes
     * @param strong true for the strong comparison (If-Match), false for the weak one (If-None-Match)
     * @return true on a match
     */
    static boolean matchesAny(String list, String etag, boolean strong) {
        int i = 0;
        int n = list.length();
        while (i < n) {
            char c = list.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            if (c == '*') {
                return true;
            }
            boolean weak = false;
            if (c == 'W' && i + 1 < n && list.charAt(i + 1) == '/') {
                weak = true;
                i += 2;
            }
            if (i >= n || list.charAt(i) != '"') {
                return false;
            }
            int close = list.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            int tagLength = close + 1 - i;
            if (!(strong && weak) && tagLength == etag.length() && list.regionMatches(i, etag, 0, tagLength)) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }

    /**
     * Parses an HTTP-date in any of RFC 9110's three formats; a value equal to the file's own
     * Last-Modified string is recognised without parsing.
     *
     * @param value the field value
     * @param file  the file, for the fast path
     * @return the instant, or null when the value is not a valid HTTP-date (the field is then ignored)
     */
    static Instant parseDate(String value, HttpFileInfo file) {
        if (value.equals(file.lastModifiedString())) {
            return file.lastModified();
        }
        String trimmed = value.strip();
        try {
            return DateTimeFormatter.RFC_1123_DATE_TIME.parse(trimmed, Instant::from);
        } catch (DateTimeParseException notImfFixdate) {
            try {
                return LocalDateTime.parse(trimmed, RFC_850).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notRfc850) {
                try {
                    return LocalDateTime.parse(trimmed, ASCTIME).toInstant(ZoneOffset.UTC);
                } catch (DateTimeParseException notAsctime) {
                    return null;
                }
            }
        }
    }
}
