package io.scanwatch.sketch;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink's type for {@link CappedCounts}, wherever it appears (a field of a POJO included): its own serializer. */
public final class CappedCountsTypeInfo extends TypeInformation<CappedCounts> {
    private static final long serialVersionUID = 1L;

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
    public Class<CappedCounts> getTypeClass() {
        return CappedCounts.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<CappedCounts> createSerializer(SerializerConfig config) {
        return new CappedCountsSerializer();
    }

    @Override
    public String toString() {
        return "CappedCounts";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CappedCountsTypeInfo;
    }

    @Override
    public int hashCode() {
        return CappedCountsTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object other) {
        return other instanceof CappedCountsTypeInfo;
    }

    /** Named by {@link CappedCounts}' annotation. */
    public static final class Factory extends TypeInfoFactory<CappedCounts> {
        @Override
        public TypeInformation<CappedCounts> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
            return new CappedCountsTypeInfo();
        }
    }
}
