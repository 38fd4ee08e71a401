package io.weir.core.internal.context;

import io.weir.api.http.HttpCachePolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One response's cache policy ({@code IHttpCachePolicy}); on the request's event loop. */
final class ResponseCachePolicy implements HttpCachePolicy {

    private boolean kernelCache = true;
    private List<String> varyBy;

    @Override
    public void disableKernelCache() {
        kernelCache = false;
    }

    @Override
    public boolean isKernelCacheEnabled() {
        return kernelCache;
    }

    @Override
    public void appendVaryByHeader(String header) {
        if (varyBy == null) {
            varyBy = new ArrayList<>(2);
        }
        varyBy.add(header);
    }

    @Override
    public List<String> varyByHeaders() {
        return varyBy == null ? List.of() : Collections.unmodifiableList(varyBy);
    }
}
