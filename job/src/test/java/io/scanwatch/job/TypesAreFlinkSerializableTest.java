package io.scanwatch.job;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.job.alert.Episode;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.source.TelemetryRecord;
import io.scanwatch.sketch.CappedCountsSerializer;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Everything on the wire or in state is a Flink POJO, all the way down, or has a serializer of its own: no Kryo, so
 * state can evolve.
 */
class TypesAreFlinkSerializableTest {

    @ParameterizedTest
    @ValueSource(
            classes = {
                AuthEvent.class,
                TelemetryRecord.class,
                DeadLetter.class,
                ProbeTally.class,
                Detection.class,
                Episode.class,
                Alert.class
            })
    void isAPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }

    @Test
    void theCappedSetsOfATallyHaveTheirOwnSerializer() {
        PojoTypeInfo<ProbeTally> tally = (PojoTypeInfo<ProbeTally>) TypeInformation.of(ProbeTally.class);

        for (String set : List.of("hosts", "services", "ports")) {
            TypeSerializer<?> serializer = tally.getTypeAt(set).createSerializer(new SerializerConfigImpl());
            assertThat(serializer).as(set).isEqualTo(new CappedCountsSerializer());
        }
    }
}
