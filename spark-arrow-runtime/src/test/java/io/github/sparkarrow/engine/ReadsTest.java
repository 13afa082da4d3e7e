package io.github.sparkarrow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paths a write compares with what a table reads (both engines run this through tables). */
class ReadsTest {

  @TempDir Path dir;

  @Test
  void aPathIsWithinADirectoryByWholeNamesOnly() {
    Reads data = Reads.path("/lake/data");
    Map<String, Reads> none = Map.of();
    assertThatCode(() -> data.requireNotReplaced("e", "/lake/data2", none)).doesNotThrowAnyException();
    assertThatCode(() -> data.requireNotReplaced("e", "/lake/dat", none)).doesNotThrowAnyException();
    assertThatThrownBy(() -> data.requireNotReplaced("e", "/lake/data", none))
        .hasMessageStartingWith("e: writing /lake/data would replace what the table reads: it reads that path.");
    assertThatThrownBy(() -> data.requireNotReplaced("e", "/lake", none))
        .hasMessageContaining("it reads /lake/data, under it.");
    assertThatThrownBy(() -> data.requireNotReplaced("e", "/", none))
        .hasMessageContaining("it reads /lake/data, under it.");
    assertThatThrownBy(() -> data.requireNotReplaced("e", "/lake/data/year=2024", none))
        .hasMessageContaining("would put files into what the table reads: it reads /lake/data, a"
            + " directory above it");
    assertThatCode(() -> Reads.NONE.requireNotReplaced("e", "/lake/data", none))
        .doesNotThrowAnyException();
  }

  @Test
  void viewsAreLookedUpByNameInAnyCaseWhenWrittenOrWhenResolved() {
    Map<String, Reads> views = new HashMap<>();
    views.put(Reads.viewKey("Outer"), Reads.views(List.of("INNER", "outer"))); // names itself too
    views.put(Reads.viewKey("inner"), Reads.path("/lake/a"));
    Reads query = Reads.views(List.of("outer"));
    Reads bound = query.resolve(views);
    assertThatThrownBy(() -> query.requireNotReplaced("e", "/lake/a", views))
        .hasMessageContaining("it reads that path");
    views.put("inner", Reads.path("/lake/b"));
    // Looked up when written: it reads b now; resolved before: still a.
    assertThatCode(() -> query.requireNotReplaced("e", "/lake/a", views)).doesNotThrowAnyException();
    assertThatThrownBy(() -> query.requireNotReplaced("e", "/lake/b", views))
        .hasMessageContaining("it reads that path");
    assertThatThrownBy(() -> bound.requireNotReplaced("e", "/lake/a", views))
        .hasMessageContaining("it reads that path");
    assertThat(Reads.views(List.of("unknown", "a name no view has")).resolve(views).toString())
        .isEqualTo("reads []");
  }

  @Test
  void localPathsAreAbsoluteNormalizedThroughLinksAndCutBeforeAGlob() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Path link = Files.createSymbolicLink(dir.resolve("link"), data);
    String real = data.toRealPath().toString();
    assertThat(Reads.localPath(dir + "/x/../data/")).isEqualTo(real);
    assertThat(Reads.localPath(link.toString())).isEqualTo(real);
    assertThat(Reads.localPath(link + "/year=2024/part-0")).isEqualTo(real + "/year=2024/part-0");
    assertThat(Reads.localPath(data + "/*.parquet")).isEqualTo(real);
    assertThat(Reads.localPath(data + "/part-*.parquet")).isEqualTo(real);
    assertThat(Reads.localPath(data + "/year=*/part-0")).isEqualTo(real);
    assertThat(Reads.localPath("relative")).isEqualTo(
        Path.of("relative").toAbsolutePath().normalize().toString());
  }
}
