package isolation.older;

import io.weir.api.HttpModule;
import io.weir.api.HttpServer;
import io.weir.api.ModuleRegistration;
import io.weir.api.ModuleRegistrationInfo;
import io.weir.api.RequestNotification;
import io.weir.api.RequestNotificationStatus;
import io.weir.api.http.DataChunk;
import io.weir.api.http.HttpContext;
import io.weir.api.provider.HttpEventProvider;
import java.util.EnumSet;
import org.apache.commons.codec.binary.Hex;
import org.apache.commons.codec.digest.DigestUtils;

/** Compiled by ModuleIsolationIT against commons-codec 1.11: answers /older with what it sees. */
public final class OlderCodecModuleRegistration implements ModuleRegistration {
    @Override
    public void register(int serverVersion, ModuleRegistrationInfo info, HttpServer server) {
        info.setRequestNotifications(allocator -> new HttpModule() {
            @Override
            public RequestNotificationStatus onBeginRequest(HttpContext context, HttpEventProvider provider) {
                if (!context.request().urlPath().equals("/older")) {
                    return RequestNotificationStatus.CONTINUE;
                }
                boolean blake3 = true;
                try {
                    Class.forName("org.apache.commons.codec.digest.Blake3", false,
                            OlderCodecModuleRegistration.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    blake3 = false;
                }
                context.response().writeEntityChunks(DataChunk.ofUtf8("codec="
                        + Hex.class.getPackage().getImplementationVersion() + " md5=" + DigestUtils.md5Hex("weir")
                        + " blake3=" + blake3));
                return RequestNotificationStatus.FINISH_REQUEST;
            }
        }, EnumSet.of(RequestNotification.BEGIN_REQUEST), EnumSet.noneOf(RequestNotification.class));
    }
}
