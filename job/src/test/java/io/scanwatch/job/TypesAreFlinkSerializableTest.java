package io.scanwatch.job;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;

import io.scanwatch.event.AuthEvent;
import io.scanwatch.event.ConnectionEvent;
import io.scanwatch.job.alert.Episode;
import io.scanwatch.job.model.Alert;
import io.scanwatch.job.model.DeadLetter;
import io.scanwatch.job.model.Detection;
import io.scanwatch.job.model.ProbeTally;
import io.scanwatch.job.source.TelemetryRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Everything on the wire or in state is a Flink POJO, all the way down: no Kryo, so state can evolve. */
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
}
