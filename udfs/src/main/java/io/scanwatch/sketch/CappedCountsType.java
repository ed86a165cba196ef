package io.scanwatch.sketch;

import io.scanwatch.serial.LayoutTypeInfo;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Flink's type for {@link CappedCounts}, wherever it appears (a field of a POJO included): its own serializer. */
public final class CappedCountsType extends TypeInfoFactory<CappedCounts> {
    @Override
    public TypeInformation<CappedCounts> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
        return new LayoutTypeInfo<>(CappedCounts.class, CappedCountsSerializer::new);
    }
}
