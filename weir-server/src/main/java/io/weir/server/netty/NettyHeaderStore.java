package io.weir.server.netty;

import io.netty.handler.codec.http.HttpHeaders;
import io.weir.core.spi.HeaderStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A {@link HeaderStore} over Netty's request headers, without copying. Event-loop confined. */
final class NettyHeaderStore implements HeaderStore {

    private final HttpHeaders headers;

    NettyHeaderStore(HttpHeaders headers) {
        this.headers = headers;
    }

    @Override
    public String get(String name) {
        return headers.get(name);
    }

    @Override
    public List<String> getAll(String name) {
        return headers.getAll(name);
    }

    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>();
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        outer:
        while (it.hasNext()) {
            String name = it.next().getKey().toString();
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).equalsIgnoreCase(name)) {
                    continue outer;
                }
            }
            names.add(name);
        }
        return names;
    }

    @Override
    public void set(String name, String value) {
        headers.set(name, value);
    }

    @Override
    public void add(String name, String value) {
        headers.add(name, value);
    }

    @Override
    public void remove(String name) {
        headers.remove(name);
    }

    /** {@inheritDoc} Walks Netty's pairs in place, without listing the names. */
    @Override
    public long fieldBytes() {
        long total = 0;
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            total += e.getKey().length() + 2 + e.getValue().length() + 2;
        }
        return total;
    }

    @Override
    public int size() {
        return headers.size();
    }
}
