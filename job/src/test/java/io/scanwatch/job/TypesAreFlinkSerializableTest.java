package io.scanwatch.job;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.alert.Episode;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.source.TelemetryRecord;
import io.scanwatch.sketch.CappedCountsTypeInfo;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
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
                ConnectionEvent.class,
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

        assertThat(List.of(tally.getTypeAt("hosts"), tally.getTypeAt("services"), tally.getTypeAt("ports")))
                .allMatch(CappedCountsTypeInfo.class::isInstance);
    }
}
