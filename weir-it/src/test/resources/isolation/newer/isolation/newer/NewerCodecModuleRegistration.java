package isolation.newer;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.Blake3;

/** Compiled by ModuleIsolationIT against commons-codec 1.17.1, using Blake3 (added in 1.16). */
public final class NewerCodecModuleRegistration implements ModuleRegistration {
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(allocator -> new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                if (!context.request().urlPath().equals("/newer")) {
                    return RequestNotificationStatus.CONTINUE;
                }
                byte[] hash = Blake3.hash("weir".getBytes(StandardCharsets.UTF_8));
                context.response().writeEntityChunks(DataChunk.ofUtf8("codec="
                        + Hex.class.getPackage().getImplementationVersion() + " blake3="
                        + Hex.encodeHexString(hash).substring(0, 16)));
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        }, EnumSet.of(RequestNotification.BEGIN_REQUEST), EnumSet.noneOf(RequestNotification.class));
    }
}
