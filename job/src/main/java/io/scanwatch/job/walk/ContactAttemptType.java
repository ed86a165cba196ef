package io.scanwatch.job.walk;

import io.scanwatch.serial.LayoutTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Flink's type for {@link ContactAttempt}, on the wire and in a walk's state: its own serializer. */
public final class ContactAttemptType extends TypeInfoFactory<ContactAttempt> {
    @Override
    public TypeInformation<ContactAttempt> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
        return new LayoutTypeInfo<>(ContactAttempt.class, ContactAttemptSerializer::new);
    }
}
