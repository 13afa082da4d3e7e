package io.github.sparkarrow.processor.scan;

import java.util.HashSet;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Reports errors and keeps going, as AutoValue's {@code ErrorReporter} does, so one compile shows
 * every bad component. The same problem at the same place is reported once, even when two
 * annotated records reach it (a record and another record that nests it).
 */
public final class Reporter {

  private final Messager messager;
  private final Set<String> reported = new HashSet<>();
  private int errorCount;

  public Reporter(Messager messager) {
    this.messager = messager;
  }

  public void error(Element site, Message message, Object... args) {
    String text = message.format(args);
    errorCount++;
    if (reported.add(System.identityHashCode(site) + ":" + message + ":" + site)) {
      messager.printMessage(Diagnostic.Kind.ERROR, text, site);
    }
  }

  /** Errors seen so far, duplicates included: compare before and after a scan. */
  public int errorCount() {
    return errorCount;
  }
}
