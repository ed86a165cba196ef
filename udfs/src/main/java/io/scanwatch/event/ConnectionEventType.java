package io.scanwatch.event;

import io.scanwatch.serial.LayoutTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Flink's type for {@link ConnectionEvent}, on the wire, in sorts and in state: its own serializer. */
public final class ConnectionEventType extends TypeInfoFactory<ConnectionEvent> {
    @Override
    public TypeInformation<ConnectionEvent> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
        return new LayoutTypeInfo<>(ConnectionEvent.class, ConnectionEventSerializer::new);
    }
}
