package io.weir.modules.cgi;

import io.weir.api.HttpModule;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.CompletionInfo;
import io.weir.api.http.DataChunk;
import io.weir.api.http.EntityReadException;
import io.weir.api.http.HttpContext;
import io.weir.api.http.HttpRequest;
import io.weir.api.http.HttpResponse;
import io.weir.api.http.HttpStatus;
import io.weir.api.http.ScriptMapInfo;
import io.weir.api.provider.HttpEventProvider;
import io.weir.modules.fastcgi.CgiEnvironment;
import io.weir.modules.fastcgi.CgiResponseHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * CgiModule for one request: runs a CGI/1.1 program (RFC 3875) per request; mirrors IIS's
 * {@code cgi.dll}. The program is the requested file itself (IIS's {@code CGI-exe} mapping, no
 * {@code scriptProcessor}) or the mapping's {@code scriptProcessor}, whose first {@code %s} is
 * replaced by the script's path. {@code isapiCgiRestriction} must allow the executable (404.2
 * otherwise, as IIS). Its environment is the server's {@code PATH} plus the CGI variables
 * ({@link CgiEnvironment}) and {@code REDIRECT_STATUS=200} (which php-cgi run as a CGI program
 * requires); the request body goes to its standard input, its standard output is the response
 * (headers as CGI defines, then the body), its standard error goes to the server's.
 *
 * <p>EXECUTE_REQUEST_HANDLER is declared blocking (a virtual thread); the request body is read
 * asynchronously as in FastCgiModule. A program running longer than {@code cgi@timeout} is killed
 * and the request gets 502.1; one that ends without a complete header block gets 502.2 (IIS's
 * substatuses).
 */
final class CgiModule implements HttpModule {

    private static final System.Logger LOG = System.getLogger(CgiModule.class.getName());
    private static final HttpStatus RESTRICTED = new HttpStatus(404, 2, "Not Found");
    private static final HttpStatus TIMED_OUT = new HttpStatus(502, 1, "Bad Gateway");
    private static final HttpStatus NO_HEADERS = new HttpStatus(502, 2, "Bad Gateway");
    private static final int PIECE = 64 * 1024;

    private Process process;
    private OutputStream stdin;
    private ByteBuffer body;
    private volatile boolean timedOut;

    @Override
    public RequestNotificationStatus onExecuteRequestHandler(HttpContext context, HttpEventProvider provider) {
        context.setRequestHandled();
        String script = context.physicalPath().toString();
        List<String> command = command(
                context.scriptMap()
                        .map(ScriptMapInfo::scriptProcessor)
                        .orElse("")
                        .trim(),
                script);
        if (!context.config(IsapiCgiRestrictionSection.SECTION).allows(command.get(0))) {
            return fail(context, RESTRICTED, "isapiCgiRestriction does not allow the CGI executable " + command.get(0));
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        Path folder = context.physicalPath().getParent();
        if (folder != null) {
            builder.directory(folder.toFile());
        }
        Map<String, String> env = builder.environment();
        String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.clear();
        env.put("PATH", path);
        CgiEnvironment.emit(context, env::put);
        env.put("REDIRECT_STATUS", "200");
        try {
            process = builder.start();
        } catch (IOException e) {
            return fail(
                    context,
                    HttpStatus.INTERNAL_SERVER_ERROR,
                    "The CGI executable could not be started: " + e.getMessage());
        }
        long timeout = context.config(CgiSection.SECTION).timeout().toMillis();
        Process started = process;
        CompletableFuture.delayedExecutor(timeout, TimeUnit.MILLISECONDS).execute(() -> {
            if (started.isAlive()) {
                timedOut = true;
                kill(started);
            }
        });
        stdin = process.getOutputStream();
        body = ByteBuffer.allocate(PIECE);
        return pumpBody(context);
    }

    @Override
    public RequestNotificationStatus onAsyncCompletion(
            HttpContext context,
            RequestNotification notification,
            boolean postNotification,
            HttpEventProvider provider,
            CompletionInfo completionInfo) {
        if (completionInfo.error().isPresent()) {
            dispose();
            if (completionInfo.error().get() instanceof EntityReadException read) {
                throw read;
            }
            return fail(context, HttpStatus.INTERNAL_SERVER_ERROR, "The request entity could not be read");
        }
        if (completionInfo.completionBytes() < 0) {
            return readOutput(context);
        }
        writePiece();
        return pumpBody(context);
    }

    private RequestNotificationStatus pumpBody(HttpContext context) {
        while (true) {
            int n;
            try {
                n = context.request().readEntityBody(body, true);
            } catch (EntityReadException e) {
                dispose();
                throw e;
            }
            if (n == HttpRequest.READ_PENDING) {
                return RequestNotificationStatus.PENDING;
            }
            if (n < 0) {
                return readOutput(context);
            }
            writePiece();
        }
    }

    /** Passes the body piece to the program; one that stopped reading its input just loses the rest. */
    private void writePiece() {
        body.flip();
        if (stdin != null) {
            try {
                stdin.write(body.array(), body.position(), body.remaining());
            } catch (IOException e) {
                closeStdin();
            }
        }
        body.clear();
    }

    private void closeStdin() {
        if (stdin != null) {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // the program exited or closed its input
            }
            stdin = null;
        }
    }

    private RequestNotificationStatus readOutput(HttpContext context) {
        closeStdin();
        HttpResponse response = context.response();
        CgiResponseHead head = new CgiResponseHead();
        long bufferLimit =
                context.scriptMap().map(ScriptMapInfo::responseBufferLimit).orElse(4L * 1024 * 1024);
        byte[] buffer = new byte[PIECE];
        try (InputStream out = process.getInputStream()) {
            for (int n; (n = out.read(buffer)) > 0; ) {
                ByteBuffer piece = ByteBuffer.wrap(buffer, 0, n);
                if (!head.isComplete()) {
                    if (!head.feed(piece)) {
                        continue;
                    }
                    applyHead(response, head);
                }
                if (piece.hasRemaining()) {
                    byte[] copy = new byte[piece.remaining()];
                    piece.get(copy);
                    response.writeEntityChunks(DataChunk.ofBytes(copy));
                    if (response.headersSent() || response.bufferedEntityLength() > bufferLimit) {
                        response.flush(true);
                    }
                }
            }
            process.waitFor();
        } catch (IllegalArgumentException e) {
            kill(process);
            return error(context, NO_HEADERS, "The CGI program sent a malformed header block: " + e.getMessage());
        } catch (IOException e) {
            kill(process);
            return error(context, HttpStatus.INTERNAL_SERVER_ERROR, "Reading the CGI program's output failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
            return error(context, HttpStatus.INTERNAL_SERVER_ERROR, "Interrupted while running the CGI program");
        }
        if (timedOut) {
            return error(context, TIMED_OUT, "The CGI program exceeded cgi@timeout and was terminated");
        }
        if (!head.isComplete()) {
            return error(
                    context,
                    NO_HEADERS,
                    "The CGI program ended without a complete set of HTTP headers (exit status " + process.exitValue()
                            + ")");
        }
        if (response.headersSent()) {
            response.flush(true);
        }
        return RequestNotificationStatus.CONTINUE;
    }

    private static void applyHead(HttpResponse response, CgiResponseHead head) {
        Map.Entry<Integer, String> status = head.status();
        response.setStatus(
                new HttpStatus(status.getKey(), 0, status.getValue().isEmpty() ? "Status" : status.getValue()));
        for (Map.Entry<String, String> h : head.headers()) {
            switch (h.getKey().toLowerCase(Locale.ROOT)) {
                case "status", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade" -> {
                    // the server frames the response itself
                }
                case "content-type", "location" -> response.setHeader(h.getKey(), h.getValue(), true);
                default -> response.setHeader(h.getKey(), h.getValue(), false);
            }
        }
    }

    /** Splits {@code scriptProcessor} into words, its first {@code %s} becoming the script; empty → the script itself. */
    static List<String> command(String scriptProcessor, String script) {
        List<String> words = new ArrayList<>();
        if (scriptProcessor.isEmpty()) {
            words.add(script);
            return words;
        }
        boolean substituted = false;
        for (String w : scriptProcessor.split("\\s+")) {
            if (w.equals("%s") || w.equals("\"%s\"")) {
                if (!substituted) {
                    words.add(script);
                    substituted = true;
                }
            } else if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    private static RequestNotificationStatus error(HttpContext context, HttpStatus status, String description) {
        LOG.log(
                System.Logger.Level.WARNING,
                "{0} {1}: {2}",
                context.request().method(),
                context.request().rawUrl(),
                description);
        if (context.response().headersSent()) {
            context.response().resetConnection();
            return RequestNotificationStatus.FINISH_REQUEST;
        }
        return fail(context, status, description);
    }

    private static RequestNotificationStatus fail(HttpContext context, HttpStatus status, String description) {
        HttpResponse response = context.response();
        response.clear();
        response.setStatus(status, new IOException(description));
        response.setErrorDescription(description);
        return RequestNotificationStatus.FINISH_REQUEST;
    }

    /** Kills the program and what it started (a shell script's children keep its output open otherwise). */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    @Override
    public void dispose() {
        closeStdin();
        if (process != null && process.isAlive()) {
            kill(process);
        }
    }
}
