package io.github.sparkarrow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.evolution.TripAddedOptionalArrowSchema;
import io.github.sparkarrow.it.records.evolution.TripAddedPrimitiveArrowSchema;
import io.github.sparkarrow.it.records.evolution.TripRenamedArrowSchema;
import io.github.sparkarrow.it.records.evolution.TripStrictElementsArrowSchema;
import io.github.sparkarrow.it.records.evolution.TripV1;
import io.github.sparkarrow.it.records.evolution.TripV1ArrowSchema;
import io.github.sparkarrow.it.records.evolution.TripWidenedArrowSchema;
import io.github.sparkarrow.runtime.ArrowRecordType;
import io.github.sparkarrow.testing.SchemaSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Schema snapshots: written, compared with a diff, rewritten on request, read back exactly. */
class SchemaSnapshotsTest {

  /** The snapshot of version 1 of the trip record, as released (committed beside the tests). */
  static final Path RELEASED_TRIP =
      Path.of("src/test/resources/schema-snapshots/released/1.0/" + TripV1.class.getName() + ".schema");

  @TempDir Path dir;

  @AfterEach
  void clearProperties() {
    System.clearProperty(SchemaSnapshots.UPDATE_PROPERTY);
    System.clearProperty("sparkarrow.ci");
  }

  /** The committed snapshot of a record in the tests' own resources: what a user's test does. */
  @Test
  void orderMatchesItsCommittedSnapshot() {
    assertThat(SchemaSnapshots.defaultFile(OrderArrowSchema.INSTANCE)).exists();
    SchemaSnapshots.assertMatchesSnapshot(OrderArrowSchema.INSTANCE);
  }

  @Test
  void firstRunWritesSamePassesChangeFailsWithADiffUpdateRewrites() throws IOException {
    System.setProperty("sparkarrow.ci", "false");
    Path file = dir.resolve("snapshots/trip.schema");
    SchemaSnapshots.assertMatchesSnapshot(TripV1ArrowSchema.INSTANCE, file);
    assertThat(file).exists();
    assertThat(Files.readString(file))
        .contains("ddl: `tripId` BIGINT NOT NULL, `passengers` INT NOT NULL, `vendor` STRING,"
            + " `stops` ARRAY<INT>")
        .contains("\n  `passengers`: Int(32, true) not null\n")
        .contains("\n  `stops`: List\n    `element`: Int(32, true)\n");
    SchemaSnapshots.assertMatchesSnapshot(TripV1ArrowSchema.INSTANCE, file);

    // The same file, but the record changed: passengers int -> long.
    assertThatThrownBy(() -> SchemaSnapshots.assertMatchesSnapshot(TripWidenedArrowSchema.INSTANCE, file))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("differs from its snapshot")
        .hasMessageContaining("- ddl: `tripId` BIGINT NOT NULL, `passengers` INT NOT NULL")
        .hasMessageContaining("+ ddl: `tripId` BIGINT NOT NULL, `passengers` BIGINT NOT NULL")
        .hasMessageContaining("-   `passengers`: Int(32, true) not null")
        .hasMessageContaining("+   `passengers`: Int(64, true) not null")
        .hasMessageNotContaining("-   `vendor`")
        .hasMessageContaining("mvn test -Dsparkarrow.updateSnapshots=true");

    System.setProperty(SchemaSnapshots.UPDATE_PROPERTY, "true");
    SchemaSnapshots.assertMatchesSnapshot(TripWidenedArrowSchema.INSTANCE, file);
    System.clearProperty(SchemaSnapshots.UPDATE_PROPERTY);
    SchemaSnapshots.assertMatchesSnapshot(TripWidenedArrowSchema.INSTANCE, file);
    assertThat(Files.readString(file)).contains("`passengers`: Int(64, true) not null");
  }

  @Test
  void onCiAMissingSnapshotFailsInsteadOfBeingWritten() {
    System.setProperty("sparkarrow.ci", "true");
    Path file = dir.resolve("missing.schema");
    assertThatThrownBy(() -> SchemaSnapshots.assertMatchesSnapshot(TripV1ArrowSchema.INSTANCE, file))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("no schema snapshot of " + TripV1.class.getName())
        .hasMessageContaining("commit it");
    assertThat(file).doesNotExist();
  }

  static List<ArrowRecordType<?>> everyType() {
    return ArrowTestSupport.cases().stream().<ArrowRecordType<?>>map(ArrowTestSupport.Case::type).toList();
  }

  @ParameterizedTest
  @MethodSource("everyType")
  void aSnapshotReadsBackToTheExactArrowSchema(ArrowRecordType<?> type) throws IOException {
    Path file = dir.resolve("t.schema");
    Files.writeString(file, SchemaSnapshots.snapshot(type));
    assertThat(SchemaSnapshots.readSchema(file)).isEqualTo(type.arrowSchema());
  }

  @Test
  void compatibilityWithTheReleasedVersion() {
    assertThat(RELEASED_TRIP).exists();
    SchemaSnapshots.assertBackwardCompatible(TripV1ArrowSchema.INSTANCE, RELEASED_TRIP);
    SchemaSnapshots.assertFullyCompatible(TripAddedOptionalArrowSchema.INSTANCE, RELEASED_TRIP);

    assertThatThrownBy(() -> SchemaSnapshots.assertBackwardCompatible(TripWidenedArrowSchema.INSTANCE, RELEASED_TRIP))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("is not backward compatible")
        .hasMessageContaining("passengers: written as INT, read as BIGINT");
    assertThatThrownBy(() -> SchemaSnapshots.assertBackwardCompatible(TripAddedPrimitiveArrowSchema.INSTANCE, RELEASED_TRIP))
        .hasMessageContaining("tolls: new NOT NULL column");
    assertThatThrownBy(() -> SchemaSnapshots.assertBackwardCompatible(TripRenamedArrowSchema.INSTANCE, RELEASED_TRIP))
        .hasMessageContaining("operator: not in the written data, whose vendor of the same type");
    assertThatThrownBy(() -> SchemaSnapshots.assertBackwardCompatible(TripStrictElementsArrowSchema.INSTANCE, RELEASED_TRIP))
        .hasMessageContaining("stops[]: NOT NULL, but written as nullable");
    // Forward: version 1 cannot read a widened column either.
    assertThatThrownBy(() -> SchemaSnapshots.assertForwardCompatible(TripWidenedArrowSchema.INSTANCE, RELEASED_TRIP))
        .hasMessageContaining("passengers: written as BIGINT, read as INT");
  }
}
