package io.github.sparkarrow.it;

import io.github.sparkarrow.it.records.BoxesArrowSchema;
import io.github.sparkarrow.it.records.CollectionsArrowSchema;
import io.github.sparkarrow.it.records.DecimalsArrowSchema;
import io.github.sparkarrow.it.records.JacksonRenamedArrowSchema;
import io.github.sparkarrow.it.records.MapsArrowSchema;
import io.github.sparkarrow.it.records.OptionalsArrowSchema;
import io.github.sparkarrow.it.records.OrderArrowSchema;
import io.github.sparkarrow.it.records.PrimitivesArrowSchema;
import io.github.sparkarrow.it.records.RenamedArrowSchema;
import io.github.sparkarrow.it.records.Renamed_InnerArrowSchema;
import io.github.sparkarrow.it.records.TemporalsArrowSchema;
import io.github.sparkarrow.it.records.TestStructArrowSchema;
import io.github.sparkarrow.it.records.TextsArrowSchema;
import io.github.sparkarrow.runtime.ArrowRecordType;
import java.util.List;

/** Every generated record type of the integration tests, for parameterized tests. */
final class AllRecordTypes {

  private AllRecordTypes() {}

  static List<ArrowRecordType<?>> all() {
    return List.of(
        PrimitivesArrowSchema.INSTANCE,
        BoxesArrowSchema.INSTANCE,
        TextsArrowSchema.INSTANCE,
        DecimalsArrowSchema.INSTANCE,
        TemporalsArrowSchema.INSTANCE,
        CollectionsArrowSchema.INSTANCE,
        MapsArrowSchema.INSTANCE,
        OptionalsArrowSchema.INSTANCE,
        OrderArrowSchema.INSTANCE,
        RenamedArrowSchema.INSTANCE,
        Renamed_InnerArrowSchema.INSTANCE,
        TestStructArrowSchema.INSTANCE,
        JacksonRenamedArrowSchema.INSTANCE,
        io.github.sparkarrow.it.records.AwkwardArrowSchema.INSTANCE,
        io.github.sparkarrow.it.records.PersonArrowSchema.INSTANCE);
  }
}
