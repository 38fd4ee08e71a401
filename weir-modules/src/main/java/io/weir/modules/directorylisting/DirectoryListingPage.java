package io.weir.modules.directorylisting;

import io.weir.modules.directorylisting.DirectoryListingSection.ShowFlag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Renders the HTML listing of one directory in the layout of IIS's DirectoryListingModule
 * (a {@code <pre>} block, one line per entry: date, time, size or {@code <dir>}, link). Reads the
 * disk, so it runs on the server's blocking executor, never on an event loop.
 */
final class DirectoryListingPage {

    private static final DateTimeFormatter SHORT_DATE = DateTimeFormatter.ofPattern("M/d/yyyy", Locale.US);
    private static final DateTimeFormatter LONG_DATE = DateTimeFormatter.ofPattern("EEEE, MMMM d, yyyy", Locale.US);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("h:mm a", Locale.US);

    /** One listed entry. */
    private record Entry(String name, boolean directory, long size, ZonedDateTime modified) {}

    private DirectoryListingPage() {}

    /**
     * Lists {@code directory} and renders the page.
     *
     * @param directory the directory on disk
     * @param urlPath   its decoded URL path, ending with {@code '/'}
     * @param host      the host name for the title
     * @param flags     the columns to show
     * @param zone      the time zone of the dates shown (IIS shows the server's local time)
     * @return the page, UTF-8
     * @throws IOException if the directory cannot be read
     */
    static byte[] render(Path directory, String urlPath, String host, Set<ShowFlag> flags, ZoneId zone)
            throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path child : stream) {
                Path fileName = child.getFileName();
                String name = fileName == null ? "" : fileName.toString();
                if (name.isEmpty() || name.equalsIgnoreCase("web.config")) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(child, BasicFileAttributes.class);
                } catch (IOException vanished) {
                    continue;
                }
                entries.add(new Entry(
                        name,
                        attributes.isDirectory(),
                        attributes.isDirectory() ? 0 : attributes.size(),
                        attributes.lastModifiedTime().toInstant().atZone(zone)));
            }
        }
        entries.sort(Comparator.comparing((Entry e) -> !e.directory())
                .thenComparing(Entry::name, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(Entry::name));

        String title = escapeHtml(host) + " - " + escapeHtml(urlPath);
        StringBuilder html = new StringBuilder(512 + entries.size() * 128);
        html.append("<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><title>")
                .append(title)
                .append("</title></head><body><h1>")
                .append(title)
                .append("</h1><hr>\r\n\r\n<pre>");
        if (!urlPath.equals("/")) {
            String parent = urlPath.substring(0, urlPath.lastIndexOf('/', urlPath.length() - 2) + 1);
            html.append("<a href=\"").append(encodeUrl(parent)).append("\">[To Parent Directory]</a><br><br>");
        }
        String base = encodeUrl(urlPath);
        for (Entry entry : entries) {
            if (flags.contains(ShowFlag.LongDate)) {
                html.append(pad(LONG_DATE.format(entry.modified()), 30));
            } else if (flags.contains(ShowFlag.Date)) {
                html.append(pad(SHORT_DATE.format(entry.modified()), 10));
            }
            if (flags.contains(ShowFlag.Time)) {
                html.append(pad(TIME.format(entry.modified()), 8));
            }
            if (flags.contains(ShowFlag.Size)) {
                html.append(pad(entry.directory() ? "&lt;dir&gt;" : Long.toString(entry.size()), 12));
            }
            String shown = entry.name();
            if (!entry.directory() && !flags.contains(ShowFlag.Extension)) {
                int dot = shown.lastIndexOf('.');
                if (dot > 0) {
                    shown = shown.substring(0, dot);
                }
            }
            html.append(" <a href=\"")
                    .append(base)
                    .append(encodeUrl(entry.name()).replace("/", "%2F"))
                    .append(entry.directory() ? "/" : "")
                    .append("\">")
                    .append(escapeHtml(shown))
                    .append("</a><br>");
        }
        html.append("</pre><hr></body></html>\r\n");
        return html.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Right-aligns {@code text} in {@code width} columns, after one separating space. */
    private static String pad(String text, int width) {
        int visible = text.replace("&lt;", "<").replace("&gt;", ">").length();
        return visible >= width ? " " + text : " ".repeat(width - visible + 1) + text;
    }

    /**
     * Escapes text for HTML element content and double-quoted attributes.
     *
     * @param text the text
     * @return the escaped text
     */
    static String escapeHtml(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Percent-encodes a decoded URL path for an {@code href}: every UTF-8 byte other than
     * unreserved characters and {@code '/'}, so the result needs no further HTML escaping.
     *
     * @param path the decoded path or name
     * @return the encoded form
     */
    static String encodeUrl(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 16);
        for (byte value : bytes) {
            int b = value & 0xff;
            if ((b >= 'a' && b <= 'z')
                    || (b >= 'A' && b <= 'Z')
                    || (b >= '0' && b <= '9')
                    || b == '-'
                    || b == '.'
                    || b == '_'
                    || b == '~'
                    || b == '/') {
                out.append((char) b);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
