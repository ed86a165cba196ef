package io.scanwatch.serial;

import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;

/**
 * The snapshot of a {@link LayoutSerializer} for a type Flink's POJO serializer wrote before it: state of that
 * serializer is read with it and written again with the new one, so savepoints taken before the layout restore.
 * Likewise state of an earlier layout of the same serializer, named by its own snapshot class: the serializer
 * that snapshot restores reads it.
 *
 * @param <T> the type
 */
public abstract class PojoSuccessorSnapshot<T> extends SimpleTypeSerializerSnapshot<T> {
    private final Set<Class<?>> earlierLayouts;

    /** @param earlierLayouts the snapshot classes of the layouts before this one */
    protected PojoSuccessorSnapshot(Supplier<? extends TypeSerializer<T>> serializer, Class<?>... earlierLayouts) {
        super(serializer);
        this.earlierLayouts = Set.of(earlierLayouts);
    }

    @Override
    public final TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> old) {
        if (old instanceof PojoSerializerSnapshot || earlierLayouts.contains(old.getClass())) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return super.resolveSchemaCompatibility(old);
    }
}
