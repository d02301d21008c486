package io.tierfs.meta.codec;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.tierfs.meta.state.CborSerializable;

/**
 * Carries a reply value of a type the binary codec does not know through Pekko's Jackson serializer (typed by
 * class name), so that new reply types work before they get a binary form of their own.
 */
record JsonValue(@JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) Object value) implements CborSerializable {
}
