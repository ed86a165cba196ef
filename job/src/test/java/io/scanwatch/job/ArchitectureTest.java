package io.scanwatch.job;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, checked on every build: packages form no cycle, {@code udfs} knows nothing of Flink's
 * runtime or of the job (only its SQL functions know Flink's function API, and its sketches, events and serializers Flink's type system), the
 * model is a leaf, and operators never reach back into the entry point.
 */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.scanwatch");

    private static final String[] UDFS = {
        "io.scanwatch.event..",
        "io.scanwatch.net..",
        "io.scanwatch.parse..",
        "io.scanwatch.serial..",
        "io.scanwatch.sketch..",
        "io.scanwatch.text.."
    };

    private static final String[] OPERATORS = {
        "io.scanwatch.job.alert..",
        "io.scanwatch.job.config..",
        "io.scanwatch.job.control..",
        "io.scanwatch.job.correlate..",
        "io.scanwatch.job.detect..",
        "io.scanwatch.job.metrics..",
        "io.scanwatch.job.model..",
        "io.scanwatch.job.route..",
        "io.scanwatch.job.sink..",
        "io.scanwatch.job.source.."
    };

    @Test
    void jobPackagesFormNoCycle() {
        slices().matching("io.scanwatch.job.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void udfsPackagesFormNoCycle() {
        slices().matching("io.scanwatch.(**)")
                .should()
                .beFreeOfCycles()
                .ignoreDependency(
                        com.tngtech.archunit.base.DescribedPredicate.alwaysTrue(),
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("io.scanwatch.job.."))
                .check(CLASSES);
    }

    @Test
    void udfsKnowNothingOfFlinkOrTheJob() {
        noClasses()
                .that()
                .resideInAnyPackage(UDFS)
                .and()
                .resideOutsideOfPackages("io.scanwatch.sketch..", "io.scanwatch.serial..", "io.scanwatch.event..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..", "io.scanwatch.job..")
                .check(CLASSES);
    }

    /**
     * A sketch and a connection event carry their own serializers, so that wherever Flink keeps or sends one it is
     * written compactly; what such serializers share knows no more of Flink.
     */
    @Test
    void sketchesEventsAndSerializersKnowOnlyFlinksTypeSystem() {
        noClasses()
                .that()
                .resideInAnyPackage("io.scanwatch.sketch..", "io.scanwatch.serial..", "io.scanwatch.event..")
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("org.apache.flink..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(
                                "org.apache.flink.api.common.typeinfo",
                                "org.apache.flink.api.common.typeutils",
                                "org.apache.flink.api.common.serialization",
                                "org.apache.flink.api.java.typeutils.runtime",
                                "org.apache.flink.core.memory"))))
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("io.scanwatch.job..")
                .check(CLASSES);
    }

    @Test
    void sqlFunctionsUseOnlyFlinksFunctionApi() {
        noClasses()
                .that()
                .resideInAPackage("io.scanwatch.sql..")
                .should()
                .dependOnClassesThat(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage("org.apache.flink..")
                                .and(com.tngtech.archunit.base.DescribedPredicate.not(
                                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(
                                                "org.apache.flink.table.annotation..",
                                                "org.apache.flink.table.functions..",
                                                "org.apache.flink.types.."))))
                .check(CLASSES);
        noClasses()
                .that()
                .resideInAnyPackage(UDFS)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.scanwatch.sql..")
                .check(CLASSES);
    }

    @Test
    void theModelIsALeaf() {
        noClasses()
                .that()
                .resideInAPackage("io.scanwatch.job.model..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.scanwatch.job",
                        "io.scanwatch.job.alert..",
                        "io.scanwatch.job.config..",
                        "io.scanwatch.job.control..",
                        "io.scanwatch.job.correlate..",
                        "io.scanwatch.job.detect..",
                        "io.scanwatch.job.metrics..",
                        "io.scanwatch.job.route..",
                        "io.scanwatch.job.sink..",
                        "io.scanwatch.job.source..",
                        "org.apache.flink..")
                .check(CLASSES);
    }

    @Test
    void operatorsNeverReachBackIntoTheEntryPoint() {
        noClasses()
                .that()
                .resideInAnyPackage(OPERATORS)
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.scanwatch.job")
                .check(CLASSES);
    }

    @Test
    void sinksAndSourcesStayApart() {
        noClasses()
                .that()
                .resideInAPackage("io.scanwatch.job.sink..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.scanwatch.job.source..")
                .check(CLASSES);
    }
}
