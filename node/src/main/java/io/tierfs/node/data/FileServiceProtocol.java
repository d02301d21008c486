package io.tierfs.node.data;

import io.tierfs.meta.state.CborSerializable;
import org.apache.pekko.actor.typed.ActorRef;

/** How a member asks another for the data-plane address of its file data service (through the receptionist). */
public sealed interface FileServiceProtocol extends CborSerializable {

    /** Where is your file data service? */
    record WhereIs(ActorRef<ServiceAddress> replyTo) implements FileServiceProtocol {
    }

    /** Stop publishing (the member is stopping); sent locally only. */
    record Stop() implements FileServiceProtocol {
    }

    /** The answer: {@code member} (host-port of its Pekko address) serves its files' data on {@code host:port}. */
    record ServiceAddress(String member, String host, int port) implements CborSerializable {
    }
}
