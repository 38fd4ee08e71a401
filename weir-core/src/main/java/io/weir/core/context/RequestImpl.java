package io.weir.core.context;

import io.weir.api.http.HttpRequest;
import io.weir.core.spi.Exchange;
import io.weir.core.spi.HeaderStore;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;

/** The request of one {@link RequestContext}; mirrors {@code IHttpRequest}. */
final class RequestImpl implements HttpRequest {

    private final RequestContext context;
    private final Exchange exchange;
    private final String rawUrl;
    private String method;
    private String urlPath;
    private String queryString;
    private boolean urlChanged;
    private final HeaderStore headers;
    private final ArrayDeque<ByteBuffer> entity = new ArrayDeque<>(2);

    RequestImpl(RequestContext context, Exchange exchange, String method, String rawUrl, String urlPath,
            String queryString, HeaderStore headers, ByteBuffer body) {
        this.context = context;
        this.exchange = exchange;
        this.method = method;
        this.rawUrl = rawUrl;
        this.urlPath = urlPath;
        this.queryString = queryString;
        this.headers = headers;
        if (body != null && body.hasRemaining()) {
            entity.add(body);
        }
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public void setMethod(String newMethod) {
        if (newMethod == null || newMethod.isEmpty() || !newMethod.chars().allMatch(RequestImpl::isTokenChar)) {
            throw new IllegalArgumentException("not an HTTP method token: " + newMethod);
        }
        this.method = newMethod;
    }

    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    @Override
    public String urlPath() {
        return urlPath;
    }

    @Override
    public String rawUrl() {
        return rawUrl;
    }

    @Override
    public String queryString() {
        return queryString;
    }

    @Override
    public void setUrl(String url, boolean resetQueryString) {
        if (!context.mayChangeUrl()) {
            throw new IllegalStateException("setUrl is allowed in PRE_BEGIN_REQUEST and BEGIN_REQUEST only");
        }
        String[] parts = UrlPath.split(url);
        if (parts == null || !url.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute URL path: " + url);
        }
        String normalized = UrlPath.normalize(parts[0]);
        if (normalized == null) {
            throw new IllegalArgumentException("URL cannot be normalized: " + url);
        }
        this.urlPath = normalized;
        if (url.indexOf('?') >= 0) {
            this.queryString = parts[1];
        } else if (resetQueryString) {
            this.queryString = "";
        }
        this.urlChanged = true;
        context.urlChanged();
    }

    @Override
    public boolean urlChanged() {
        return urlChanged;
    }

    @Override
    public Optional<String> header(String name) {
        String first = headers.get(name);
        if (first == null) {
            return Optional.empty();
        }
        List<String> all = headers.getAll(name);
        return Optional.of(all.size() <= 1 ? first : String.join(", ", all));
    }

    /** @param name a header name @return its first value or null, without Optional */
    String firstHeader(String name) {
        return headers.get(name);
    }

    @Override
    public List<String> headers(String name) {
        return headers.getAll(name);
    }

    @Override
    public List<String> headerNames() {
        return headers.names();
    }

    @Override
    public void setHeader(String name, String value, boolean replace) {
        HeaderList.validate(name, value);
        if (replace) {
            headers.set(name, value);
        } else {
            headers.add(name, value);
        }
    }

    @Override
    public void deleteHeader(String name) {
        headers.remove(name);
    }

    @Override
    public String httpVersion() {
        return exchange.protocolVersion();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return exchange.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return exchange.localAddress();
    }

    @Override
    public long remainingEntityBytes() {
        long n = 0;
        for (ByteBuffer b : entity) {
            n += b.remaining();
        }
        return n;
    }

    @Override
    public int readEntityBody(ByteBuffer destination) {
        ByteBuffer head = entity.peekFirst();
        if (head == null) {
            context.raiseReadEntity(ByteBuffer.allocate(0));
            return -1;
        }
        int start = destination.position();
        int n = Math.min(destination.remaining(), head.remaining());
        ByteBuffer slice = head.slice(head.position(), n);
        destination.put(slice);
        head.position(head.position() + n);
        if (!head.hasRemaining()) {
            entity.pollFirst();
        }
        ByteBuffer read = destination.duplicate().flip().position(start);
        context.raiseReadEntity(read);
        return n;
    }

    @Override
    public void insertEntityBody(ByteBuffer bytes) {
        if (bytes.hasRemaining()) {
            entity.addFirst(bytes);
        }
    }
}
