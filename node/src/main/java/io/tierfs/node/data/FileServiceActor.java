package io.tierfs.node.data;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * Publishes a member's file data service in the cluster: registered with the receptionist under {@link #KEY}, it
 * answers where the service listens. Addresses are asked once and cached by the other members ({@link HomeAddresses}).
 */
public final class FileServiceActor {
    public static final ServiceKey<FileServiceProtocol> KEY = ServiceKey.create(FileServiceProtocol.class,
            "tierfs-file-data");

    private FileServiceActor() {
    }

    public static Behavior<FileServiceProtocol> create(FileServiceProtocol.ServiceAddress self) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
            return Behaviors.receiveMessage(m -> {
                if (m instanceof FileServiceProtocol.WhereIs w) {
                    w.replyTo().tell(self);
                } else if (m instanceof FileServiceProtocol.Stop) {
                    return Behaviors.stopped();
                }
                return Behaviors.same();
            });
        });
    }
}
