package io.scanwatch.serial;

import java.io.Serializable;
import java.util.function.Supplier;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type for a class written by a {@link LayoutSerializer}, wherever the class appears (a field of a POJO, an
 * array's element): the class names a factory with {@code @TypeInfo}, and the factory gives this type. One value,
 * opaque to Flink's field access.
 *
 * @param <T> the type
 */
public final class LayoutTypeInfo<T> extends TypeInformation<T> {
    private static final long serialVersionUID = 1L;

    private final Class<T> type;
    private final Layout<T> layout;

    /** The serializer of a type: a plan ships its types to the cluster. */
    @FunctionalInterface
    public interface Layout<T> extends Supplier<LayoutSerializer<T>>, Serializable {}

    public LayoutTypeInfo(Class<T> type, Layout<T> layout) {
        this.type = type;
        this.layout = layout;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return layout.get();
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public String toString() {
        return type.getSimpleName();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LayoutTypeInfo<?> info && info.type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof LayoutTypeInfo;
    }
}
