package io.scanwatch.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.runtime.throwable.ThrowableClassifier;
import org.apache.flink.runtime.throwable.ThrowableType;
import org.junit.jupiter.api.Test;

class TaskManagerJavaTest {
    @Test
    void flinkDoesNotRestartAJobOnARefusedJava() {
        assertThat(ThrowableClassifier.getThrowableType(new TaskManagerJava.Unsupported("refused")))
                .isEqualTo(ThrowableType.NonRecoverableError);
    }
}
